using System.Text;
using ImapRx.Wire;
using MimeKit;
using MimeKit.Utils;

namespace ImapRx.Tests.Wire;

/// <summary>
/// The native reader's shortcuts past MimeKit (plain text, plain addresses, plain message ids, dates from bytes)
/// against the MimeKit calls MailKit makes, on generated input (fixed seeds): whenever a shortcut is taken it
/// gives exactly MimeKit's answer, and it is taken for the ordinary input it exists for.
/// </summary>
public sealed class WireFastPathTests
{
    private const int Count = 20_000;

    /// <summary>Alphabets from ordinary to awkward: what decoders and address parsers treat specially is in the later ones.</summary>
    private static readonly string[] TextAlphabets =
    {
        "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789",
        "ab =?Q?B_\"\\()<>@,;:.[]",
        "a b\t\r\n=?utf-8?q?=C3=A9?=",
        "aé€ \u00a0=?",
        " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
    };

    private static readonly string[] LocalAlphabets =
    {
        "abcdefghijklmnopqrstuvwxyz0123456789",
        "abcXYZ019._+-",
        "ab.._+-\"\\ ()<>@,;:[]!#$%&'*/=?^`{|}~",
        "aé.",
    };

    private static readonly string[] DomainAlphabets =
    {
        "abcdefghijklmnopqrstuvwxyz.",
        "abcxn-.0123456789",
        "aBcXN-.._[]>",
        "aé.-",
    };

    [Fact]
    public void IsPlainText_GeneratedText_TextAsMimeKitDecodesIt()
    {
        var random = new Random(1401);
        var taken = 0;
        for (var i = 0; i < Count; i++)
        {
            var text = Generate(random, TextAlphabets, 0, 40);
            var bytes = Encoding.UTF8.GetBytes(text);
            var view = new WireBytes(bytes, 0, bytes.Length);
            if (!WireText.IsPlainText(view))
            {
                continue;
            }

            taken++;
            var fast = WireText.Ascii(view);
            Assert.True(fast == Rfc2047.DecodeText(bytes), $"subject {Show(text)}: '{fast}' against MimeKit's '{Rfc2047.DecodeText(bytes)}'");
            Assert.True(fast == Rfc2047.DecodePhrase(bytes), $"name {Show(text)}: '{fast}' against MimeKit's '{Rfc2047.DecodePhrase(bytes)}'");
        }

        Assert.True(taken > Count / 4, $"the shortcut was taken for only {taken} of {Count}");
    }

    [Fact]
    public void DecodeSubjectAndName_GeneratedText_TextAsMailKitDecodesTheString()
    {
        var random = new Random(1405);
        for (var i = 0; i < Count; i++)
        {
            var text = Generate(random, TextAlphabets, 0, 40);
            var bytes = random.Next(8) == 0 ? Latin1OrUtf8(random, text) : Encoding.UTF8.GetBytes(text);
            var view = new WireBytes(bytes, 0, bytes.Length);
            var decoded = Encoding.UTF8.GetBytes(view.Text()); // what MailKit hands MimeKit: the string's UTF-8 form
            Assert.True(Rfc2047.DecodeText(decoded) == WireText.DecodeSubject(view), $"subject {Show(text)}");
            Assert.True(Rfc2047.DecodePhrase(decoded) == WireText.DecodeName(view), $"name {Show(text)}");
        }
    }

    [Fact]
    public void TryPlainMailbox_GeneratedAddresses_AddressAndNameAsMailKitBuildsThem()
    {
        var random = new Random(1402);
        var taken = 0;
        for (var i = 0; i < Count; i++)
        {
            var name = random.Next(4) == 0 ? null : Generate(random, TextAlphabets, 0, 20);
            var local = Generate(random, LocalAlphabets, 0, 16);
            var domain = random.Next(6) switch
            {
                0 => null,
                1 => "MISSING_DOMAIN",
                2 => ".MISSING-HOST-NAME.",
                _ => Generate(random, DomainAlphabets, 0, 16),
            };

            if (!WireEnvelope.TryPlainMailbox(View(name), View(local), View(domain), out var address, out var displayName))
            {
                continue;
            }

            taken++;
            var built = WireEnvelope.TryMailbox(name, local, domain, out var expectedAddress, out var expectedName);
            var what = $"({Show(name)} {Show(local)} {Show(domain)})";
            Assert.True(built, $"{what}: taken by the shortcut, but MimeKit cannot build it (MailKit drops it)");
            Assert.True(expectedAddress == address, $"{what}: address '{address}' against MimeKit's '{expectedAddress}'");
            Assert.True(expectedName == displayName, $"{what}: name '{displayName}' against MimeKit's '{expectedName}'");
        }

        Assert.True(taken > Count / 20, $"the shortcut was taken for only {taken} of {Count}");
    }

    [Fact]
    public void TryPlainMailbox_OrdinaryAddress_Taken()
    {
        Assert.True(WireEnvelope.TryPlainMailbox(View("Ann Lee"), View("ann.lee+news"), View("mail.example.com"), out var address, out var name));
        Assert.Equal("ann.lee+news@mail.example.com", address);
        Assert.Equal("Ann Lee", name);
        Assert.True(WireEnvelope.TryPlainMailbox(null, View("owner"), View("MISSING_DOMAIN"), out address, out name));
        Assert.Equal("owner", address);
        Assert.Null(name);

        // International and encoded forms go to MimeKit.
        Assert.False(WireEnvelope.TryPlainMailbox(null, View("ann"), View("xn--bcher-kva.example"), out _, out _));
        Assert.False(WireEnvelope.TryPlainMailbox(null, View("ann"), View("Example.com"), out _, out _));

        // An encoded name is decoded by MimeKit; the address is still made from the bytes.
        Assert.True(WireEnvelope.TryPlainMailbox(View("=?utf-8?q?Ann_L=C3=A9e?="), View("ann"), View("example.com"), out address, out name));
        Assert.Equal("ann@example.com", address);
        Assert.Equal("Ann Lée", name);
    }

    [Fact]
    public void PlainMessageId_GeneratedIds_IdAsMimeKitParsesIt()
    {
        var random = new Random(1403);
        var taken = 0;
        for (var i = 0; i < Count; i++)
        {
            var local = Generate(random, LocalAlphabets, 0, 16);
            var domain = Generate(random, DomainAlphabets, 0, 16);
            var id = random.Next(10) switch
            {
                0 => local + "@" + domain,
                1 => "<" + local + ">",
                2 => "<" + local + "@" + domain + "> (comment)",
                _ => "<" + local + "@" + domain + ">",
            };

            var fast = WireEnvelope.PlainMessageId(View(id)!.Value);
            if (fast is null)
            {
                continue;
            }

            taken++;
            Assert.True(WireEnvelope.ParseMessageId(id) == fast, $"{Show(id)}: '{fast}' against MimeKit's '{WireEnvelope.ParseMessageId(id)}'");
        }

        Assert.True(taken > Count / 20, $"the shortcut was taken for only {taken} of {Count}");
        Assert.Equal("small.2026.7@imaprx.sandbox", WireEnvelope.PlainMessageId(View("<small.2026.7@imaprx.sandbox>")!.Value));
    }

    [Fact]
    public void TryParseDate_GeneratedDates_DateAsMimeKitParsesTheString()
    {
        var random = new Random(1404);
        var parsed = 0;
        string[] days = { "Mon, ", "Tue,", string.Empty, string.Empty, "Fri , " };
        string[] months = { "Jan", "feb", "MAR", "Dec", "Jun", "Foo" };
        int[] years = { 99, 5, 1969, 1970, 1999, 2026, 2038, 2100, 9999 };
        string[] zones = { "+0000", "-0730", "GMT", "EST", "(UTC)", "+2", string.Empty, "+0100 (CET)" };
        for (var i = 0; i < Count; i++)
        {
            var text = random.Next(8) == 0
                ? Generate(random, TextAlphabets, 0, 30)
                : $"{days[random.Next(days.Length)]}{(random.Next(10) == 0 ? random.Next(0, 40) : random.Next(1, 29))} {months[random.Next(months.Length)]} {years[random.Next(years.Length)]} {random.Next(0, 24):00}:{random.Next(0, 60):00}{(random.Next(3) == 0 ? string.Empty : ":" + random.Next(0, 60).ToString("00", System.Globalization.CultureInfo.InvariantCulture))} {zones[random.Next(zones.Length)]}";
            var bytes = Encoding.UTF8.GetBytes(text);
            var fastOk = WireEnvelope.TryParseDate(new WireBytes(bytes, 0, bytes.Length), out var fast);
            var mimeOk = DateUtils.TryParse(text, out var expected);
            Assert.True(fastOk == mimeOk && fast == expected && fast.Offset == expected.Offset, $"{Show(text)}: {fastOk} {fast:O} against MimeKit's {mimeOk} {expected:O}");
            parsed += fastOk ? 1 : 0;
        }

        Assert.True(parsed > Count / 4, $"only {parsed} of {Count} dates parsed: the generator is not making dates");
    }

    /// <summary>Sometimes the Latin-1 bytes of the text, which are not UTF-8 when it has non-ASCII letters.</summary>
    private static byte[] Latin1OrUtf8(Random random, string text)
        => random.Next(2) == 0 ? Encoding.Latin1.GetBytes(text) : Encoding.UTF8.GetBytes(text);

    private static WireBytes? View(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        return new WireBytes(bytes, 0, bytes.Length);
    }

    /// <summary>A string of <paramref name="min"/> to <paramref name="max"/> characters, mostly from one alphabet, sometimes mixed.</summary>
    private static string Generate(Random random, string[] alphabets, int min, int max)
    {
        var length = random.Next(min, max + 1);
        var main = alphabets[random.Next(alphabets.Length)];
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            var alphabet = random.Next(10) == 0 ? alphabets[random.Next(alphabets.Length)] : main;
            builder.Append(alphabet[random.Next(alphabet.Length)]);
        }

        return builder.ToString();
    }

    private static string Show(string? text) => text is null ? "NIL" : "\"" + text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal) + "\"";
}
