using ImapRx.Mailbox;
using ImapRx.Model;
using MailKit;

namespace ImapRx.Tests.Mailbox;

/// <summary>Which change source a resynchronisation uses, from what the connection and the ledger allow (no server).</summary>
public sealed class FolderResyncTests
{
    [Fact]
    public void Choose_LedgerThatKnowsNothing_NoSourceFirstLook()
    {
        Assert.Null(FolderResync.Choose(new Opener(canQuickResync: true), new FolderLedger(_ => { })));
    }

    [Fact]
    public void Choose_CondStoreLedgerOnAQuickResyncConnection_QuickResync()
    {
        Assert.IsType<QuickResyncSource>(FolderResync.Choose(new Opener(canQuickResync: true), Ledger(FlagTracking.SinceModSeq, 1, 2)));
    }

    [Fact]
    public void Choose_CondStoreLedgerWithoutQuickResync_CondStore()
    {
        Assert.IsType<CondStoreSource>(FolderResync.Choose(new Opener(canQuickResync: false), Ledger(FlagTracking.SinceModSeq, 1, 2)));
    }

    [Fact]
    public void Choose_EmptyCondStoreLedgerOnAQuickResyncConnection_CondStore()
    {
        Assert.IsType<CondStoreSource>(FolderResync.Choose(new Opener(canQuickResync: true), Ledger(FlagTracking.SinceModSeq)));
    }

    [Fact]
    public void Choose_LedgerThatComparesFlags_ComparisonEvenWhereQuickResyncIsOn()
    {
        Assert.IsType<ComparisonSource>(FolderResync.Choose(new Opener(canQuickResync: true), Ledger(FlagTracking.Comparison, 1, 2)));
    }

    private static FolderLedger Ledger(FlagTracking tracking, params uint[] uids)
    {
        var ledger = new FolderLedger(_ => { });
        var flags = tracking == FlagTracking.Comparison ? uids.ToDictionary(u => u, _ => FlagState.From(MessageFlags.None, null, null)) : null;
        ledger.Learn(9, uids, flags, tracking, tracking == FlagTracking.Comparison ? 0ul : 40ul, 10);
        return ledger;
    }

    /// <summary>Only says what the connection allows; a source that tried to open anything would fail the test.</summary>
    private sealed class Opener(bool canQuickResync) : IMailboxOpener
    {
        public bool CanQuickResync => canQuickResync;

        public Task<IMailFolder> OpenAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("not opened in these tests");

        public Task OpenWithQuickResyncAsync(IMailFolder folder, uint uidValidity, ulong highestModSeq, IList<UniqueId> knownUids, CancellationToken cancellationToken)
            => throw new InvalidOperationException("not opened in these tests");

        public Task<IMailFolder> GetAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("not opened in these tests");

        public ImapRx.Operations.UnreadableMessages Unreadable { get; } = new(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, "test");

        public ImapRx.Operations.IFolderConnection ForReading(IMailFolder folder) => throw new InvalidOperationException("not read in these tests");

        public bool ConnectionReplaced => false;
    }
}
