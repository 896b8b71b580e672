namespace ImapRx.Sandbox;

internal static class Placeholder
{
}
