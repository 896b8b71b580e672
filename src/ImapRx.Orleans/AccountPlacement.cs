using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Orleans;
using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace ImapRx.Orleans;

/// <summary>
/// Places an account on the silo that wins rendezvous hashing of (account id, silo) over the active silos: stable
/// while the cluster is, and when a silo joins only the accounts that now belong to it move (about 1/n of them).
/// </summary>
[GenerateSerializer, Immutable, Alias("ImapRx.Orleans.AccountPlacement")]
public sealed class AccountPlacement : PlacementStrategy
{
    internal static AccountPlacement Instance { get; } = new();

    /// <summary>The silo <paramref name="accountId"/> belongs on among <paramref name="silos"/>, or null when there is none.</summary>
    public static SiloAddress? Choose(string accountId, IEnumerable<SiloAddress> silos)
    {
        SiloAddress? best = null;
        ulong bestScore = 0;
        foreach (var silo in silos)
        {
            var score = Score(accountId, silo.ToParsableString());
            if (best is null || score > bestScore || (score == bestScore && string.CompareOrdinal(silo.ToParsableString(), best.ToParsableString()) > 0))
            {
                best = silo;
                bestScore = score;
            }
        }

        return best;
    }

    // FNV-1a over UTF-8, then a 64-bit finalizer: the same on every silo and every run (string.GetHashCode is not).
    private static ulong Score(string accountId, string silo)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(accountId + "\u0000" + silo))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        return hash ^ (hash >> 33);
    }
}

/// <summary>Puts <c>[AccountPlacement]</c> grains where <see cref="AccountPlacement.Choose"/> says.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class AccountPlacementAttribute : PlacementAttribute
{
    /// <summary>Creates the attribute.</summary>
    public AccountPlacementAttribute()
        : base(AccountPlacement.Instance)
    {
    }
}

internal sealed class AccountPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target);
        var chosen = AccountPlacement.Choose(target.GrainIdentity.Key.ToString() ?? string.Empty, silos)
            ?? throw new OrleansException("No compatible silo is active for " + target.GrainIdentity + ".");
        return Task.FromResult(chosen);
    }
}
