using ImapRx.Configuration;
using ImapRx.Sandbox.Faults;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;
using ImapRx.Wire;

namespace ImapRx.Tests.Wire;

/// <summary>
/// The native reader's own session logs in by the same rule as the pool: after the credentials were sent, silence
/// or a cut is an authentication failure that is never tried again (counted on Dovecot's side).
/// </summary>
[Collection(DovecotCollection.Name)]
public sealed class WireSessionLoginTests(DovecotFixture fixture)
{
    [DovecotFact]
    public async Task OpenAsync_ServerHoldsTheRefusalLongerThanTheTimeout_OneLoginAndAnAuthenticationErrorNotATransientOne()
    {
        var user = await fixture.CreateUserAsync();
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        var hold = proxy.HoldOnPattern(Direction.ServerToClient, "[AUTHENTICATIONFAILED]", TimeSpan.FromSeconds(4));
        var account = new ImapAccountOptions(proxy.Host, user.Name, ImapCredential.FromPassword("wrong-password"))
        {
            Encryption = ImapEncryption.None,
            Port = proxy.Port,
            Timeout = TimeSpan.FromSeconds(2),
        };

        var error = await Assert.ThrowsAsync<ImapAuthenticationException>(async () => await WireSession.OpenAsync(account, CancellationToken.None));
        await hold.WhenFired.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromSeconds(1)); // Dovecot logs a moment late

        Assert.False(error.ServerAnswered);
        Assert.False(error.IsTransient);
        Assert.Contains("not tried again", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, fixture.Server.CountLoginAttempts(user.Name));
        Assert.Equal(1, proxy.TotalConnections);
    }

    [DovecotFact]
    public async Task OpenAsync_WrongPasswordRefusedAtOnce_ServerAnsweredAndOneLogin()
    {
        var user = await fixture.CreateUserAsync();
        var account = new ImapAccountOptions(fixture.Server.Host, user.Name, ImapCredential.FromPassword("wrong-password"))
        {
            Encryption = ImapEncryption.None,
            Port = fixture.Server.PlainPort,
        };

        var error = await Record.ExceptionAsync(async () => await WireSession.OpenAsync(account, CancellationToken.None));
        await Task.Delay(500);

        var translated = Assert.IsType<ImapAuthenticationException>(ImapErrors.Translate(error!));
        Assert.True(translated.ServerAnswered);
        Assert.Equal(1, fixture.Server.CountLoginAttempts(user.Name));
    }
}
