namespace ImapRx;

internal static class Placeholder
{
}
