using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ImapRx.Fetching;
using ImapRx.Model;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;

namespace ImapRx.Tests.Model;

/// <summary>
/// The paper-clip rule of <see cref="MailMessageInfo.AttachmentCount"/>: a table of part shapes
/// (AwkwardCorpus.AttachmentShapes), each stored in the real Dovecot and read back through MailKit and through the
/// native reader, which must agree with the table and so with each other.
/// </summary>
[Collection(DovecotCollection.Name)]
public sealed class AttachmentRuleTests(DovecotFixture fixture)
{
    private static readonly IReadOnlyList<AwkwardMessage> Shapes = AwkwardCorpus.AttachmentShapes();

    [DovecotTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AttachmentCount_EachPartShape_CountsWhatAPaperClipWouldShow(bool nativeReader)
    {
        var user = await fixture.CreateUserAsync();
        await using (var other = await SandboxClient.ConnectAsync(fixture.Server, user))
        {
            foreach (var shape in Shapes)
            {
                await other.AppendAsync("INBOX", shape.Parse());
            }
        }

        await using var client = SandboxAccounts.Client(fixture.Server, user);
        var messages = await client.Messages("INBOX", new FetchOptions { UseNativeReader = nativeReader }).ToList().ToTask().WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(Shapes.Count, messages.Count);
        var wrong = Shapes
            .Select(shape => (shape, actual: messages.Single(m => m.MessageId == shape.MessageId).AttachmentCount))
            .Where(x => x.actual != x.shape.AttachmentCount)
            .Select(x => $"{x.shape.Name}: expected {x.shape.AttachmentCount}, got {x.actual}")
            .ToList();
        Assert.True(wrong.Count == 0, string.Join("; ", wrong));
    }

    [Theory]
    [InlineData("text", "csv", null, true, false, true)]
    [InlineData("text", "csv", "inline", true, false, true)]
    [InlineData("text", "csv", "inline", false, false, false)]
    [InlineData("text", "plain", "attachment", false, false, true)]
    [InlineData("text", "plain", "X-Unknown", false, false, true)]
    [InlineData("text", "calendar", null, false, false, false)]
    [InlineData("image", "png", "inline", true, true, false)]
    [InlineData("image", "png", "attachment", true, true, true)]
    [InlineData("image", "png", null, false, false, true)]
    [InlineData("message", "rfc822", "inline", false, true, true)]
    [InlineData("message", "delivery-status", null, false, false, false)]
    [InlineData("application", "pkcs7-signature", "attachment", true, false, false)]
    [InlineData("application", "pgp-signature", null, true, false, false)]
    [InlineData("application", "ms-tnef", null, true, false, true)]
    public void Counts_PartShape_FollowsTheDocumentedOrder(string type, string subtype, string? disposition, bool hasFileName, bool relatedResource, bool expected)
        => Assert.Equal(expected, AttachmentRule.Counts(type, subtype, disposition, hasFileName, relatedResource));
}
