using System.Net;
using Orleans.Runtime;

namespace ImapRx.Orleans.Tests;

public sealed class AccountPlacementTests
{
    private static SiloAddress Silo(int port) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 42);

    [Fact]
    public void Choose_SiloJoins_OnlyAboutAQuarterOfAccountsMoveAndAllToTheNewSilo()
    {
        var three = new[] { Silo(11111), Silo(11112), Silo(11113) };
        var four = three.Append(Silo(11114)).ToArray();
        var accounts = Enumerable.Range(0, 2000).Select(i => $"account-{i}").ToList();

        var moved = accounts.Where(a => !AccountPlacement.Choose(a, three)!.Equals(AccountPlacement.Choose(a, four))).ToList();

        Assert.All(moved, a => Assert.Equal(four[3], AccountPlacement.Choose(a, four)));
        Assert.InRange(moved.Count, 2000 * 15 / 100, 2000 * 35 / 100);
    }

    [Fact]
    public void Choose_SameInputsInAnyOrder_SameSilo()
    {
        var silos = new[] { Silo(1), Silo(2), Silo(3), Silo(4) };

        foreach (var account in Enumerable.Range(0, 200).Select(i => $"a{i}"))
        {
            Assert.Equal(AccountPlacement.Choose(account, silos), AccountPlacement.Choose(account, silos.Reverse()));
        }

        Assert.Null(AccountPlacement.Choose("a", Array.Empty<SiloAddress>()));
    }

    [Fact]
    public void Choose_SpreadsAccountsOverSilos()
    {
        var silos = new[] { Silo(1), Silo(2), Silo(3) };

        var perSilo = Enumerable.Range(0, 3000).GroupBy(i => AccountPlacement.Choose($"acct{i}", silos)).ToDictionary(g => g.Key!, g => g.Count());

        Assert.Equal(3, perSilo.Count);
        Assert.All(perSilo.Values, count => Assert.InRange(count, 800, 1200));
    }
}
