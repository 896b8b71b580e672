namespace ImapRx.PowerShell;

internal static class Placeholder
{
}
