using System.Collections.Generic;

namespace ImapRx.Extensions.Hosting;

/// <summary>What AddImapRx found in configuration: the section and the account names under it.</summary>
internal sealed class ImapRxRegistration
{
    internal ImapRxRegistration(string sectionPath, IReadOnlyCollection<string> accountNames, string? defaultAccount)
    {
        SectionPath = sectionPath;
        AccountNames = accountNames;
        DefaultAccount = defaultAccount;
    }

    internal string SectionPath { get; }

    internal IReadOnlyCollection<string> AccountNames { get; }

    internal string? DefaultAccount { get; }

    internal string SectionPathOf(string accountName) => $"{SectionPath}:Accounts:{accountName}";
}
