using System.Text;

namespace ImapRx.Tests.Wire;

/// <summary>
/// Builds well-formed <c>* n FETCH (...)</c> responses from a seed: every item ImapRx asks for, with the tricky
/// parts servers really send (quoted strings with escapes, literals, NIL, RFC 2047 words, raw UTF-8 and Latin-1,
/// groups, nested multiparts, message/rfc822, RFC 2231 names, dispositions, extension data, odd dates).
/// </summary>
internal sealed class FetchResponseGenerator
{
    private static readonly byte[][] Strings =
    {
        Ascii(string.Empty), Ascii("plain"), Ascii("with \"quotes\" inside"), Ascii("back\\slash"), Ascii("a (paren) b"),
        Ascii("=?UTF-8?B?w6nDqMOgIHN1YmplY3Q=?="), Ascii("=?iso-8859-1?Q?caf=E9_cr=E8me?="), Ascii("=?utf-8?q?broken"),
        Encoding.UTF8.GetBytes("Grüße aus Köln ✓"), new byte[] { (byte)'c', (byte)'a', (byte)'f', 0xE9 }, Ascii("  spaced  "),
        Ascii(new string('x', 300)), Ascii("=?UTF-8?Q?a?= =?UTF-8?Q?b?="), Ascii("tab\there"), Ascii("{5}"), Ascii("NIL"),
    };

    private static readonly string[] Dates =
    {
        "Mon, 5 Jan 2026 08:00:00 +0000", "5 Jan 2026 08:00:00 -0500", "Tue, 06 Jan 2026 23:59:59 GMT", "Wed, 7 Jan 26 1:2:3 EST",
        "not a date", "", "Thu, 32 Jan 2026 00:00:00 +0000", "Fri, 9 Jan 2026 10:00 +0130 (comment)",
    };

    private static readonly string[] InternalDates =
    {
        " 5-Jan-2026 08:00:00 +0000", "05-Jan-2026 08:00:00 -0500", "1-jan-2026 00:00:00 +1400", "28-Feb-2025 23:59:59 -1200",
        "bogus", "5-Jan-1960 08:00:00 +0000", "5-Jan-2026 08:00 +0000",
    };

    private static readonly string[] Flags = { "\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft", "\\Recent", "$Junk", "$NotJunk", "Junk", "custom", "$Label1", "\\Seen", "\\*", "\\Custom" };

    private static readonly string[] MessageIds = { "<a@b>", "a@b", "<broken", "<x.y@z> <second@z>", "", "<\"quoted local\"@host>" };

    private readonly Random _random;
    private readonly List<byte> _out = new();

    internal FetchResponseGenerator(int seed) => _random = new Random(seed);

    /// <summary>One to four FETCH responses, sometimes with EXISTS/EXPUNGE/OK lines in between.</summary>
    internal byte[] Responses()
    {
        var count = 1 + _random.Next(4);
        var uid = (uint)(1 + _random.Next(1000));
        for (var i = 0; i < count; i++)
        {
            if (_random.Next(6) == 0)
            {
                Text(_random.Next(3) switch { 0 => "* 12 EXISTS\r\n", 1 => "* 3 EXPUNGE\r\n", _ => "* OK [HIGHESTMODSEQ 99] still here\r\n" });
            }

            Fetch((uint)(i + 1), uid);
            uid += (uint)(1 + _random.Next(3));
        }

        return _out.ToArray();
    }

    private void Fetch(uint sequence, uint uid)
    {
        Text($"* {sequence} FETCH (");
        var items = new List<Action>
        {
            () => Text($"UID {uid}"),
            () => { Text("FLAGS ("); var n = _random.Next(5); for (var i = 0; i < n; i++) { if (i > 0) Text(" "); Text(Pick(Flags)); } Text(")"); },
            () => { Text("INTERNALDATE \""); Text(Pick(InternalDates)); Text("\""); },
            () => Text($"RFC822.SIZE {_random.Next(100_000)}"),
            () => { Text("ENVELOPE "); Envelope(); },
            () => { Text("BODYSTRUCTURE "); Body(0); },
        };
        if (_random.Next(2) == 0)
        {
            items.Add(() => Text($"MODSEQ ({_random.Next(1, int.MaxValue)})"));
        }

        if (_random.Next(3) == 0)
        {
            items = items.OrderBy(_ => _random.Next()).ToList();
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                Text(" ");
            }

            items[i]();
        }

        Text(")\r\n");
    }

    private void Envelope()
    {
        Text("(");
        NString(_random.Next(6) == 0 ? null : Ascii(Pick(Dates)));
        Text(" ");
        NString(_random.Next(5) == 0 ? null : Pick(Strings));
        for (var list = 0; list < 6; list++)
        {
            Text(" ");
            AddressList();
        }

        Text(" ");
        NString(_random.Next(2) == 0 ? null : Ascii(Pick(MessageIds)));
        Text(" ");
        NString(_random.Next(8) == 0 ? null : Ascii(Pick(MessageIds)));
        Text(")");
    }

    private void AddressList()
    {
        var n = _random.Next(5) == 0 ? -1 : _random.Next(4);
        if (n < 0)
        {
            Text("NIL");
            return;
        }

        Text("(");
        for (var i = 0; i < n; i++)
        {
            var kind = _random.Next(10);
            if (kind == 0)
            {
                Text("(NIL NIL \"team\" NIL)");
                Address();
                Text("(NIL NIL NIL NIL)");
            }
            else
            {
                Address();
            }
        }

        Text(")");
    }

    private void Address()
    {
        Text("(");
        NString(_random.Next(3) == 0 ? null : Pick(Strings));
        Text(" NIL ");
        NString(_random.Next(10) == 0 ? null : Ascii(Pick(new[] { "ann", "bob.smith", "<odd", "x+tag", "ünï" })));
        Text(" ");
        NString(_random.Next(10) == 0 ? null : Ascii(Pick(new[] { "example.com", "MISSING_DOMAIN", "host>", "bücher.example" })));
        Text(")");
    }

    private void Body(int depth)
    {
        Text("(");
        if (depth < 4 && _random.Next(3) == 0)
        {
            var children = 1 + _random.Next(3);
            for (var i = 0; i < children; i++)
            {
                Body(depth + 1);
            }

            Text(" ");
            String(Ascii(Pick(new[] { "mixed", "alternative", "related", "report" })));
            if (_random.Next(2) == 0)
            {
                Text(" (\"boundary\" \"b1\") NIL NIL NIL");
                if (_random.Next(3) == 0)
                {
                    Text(" (\"x-ext\" 5 (NIL \"y\"))");
                }
            }

            Text(")");
            return;
        }

        var leaf = _random.Next(7);
        var (type, subtype) = leaf switch
        {
            0 => ("text", "plain"),
            1 => ("text", "html"),
            2 => ("application", "pdf"),
            3 => ("image", "png"),
            4 => ("message", "rfc822"),
            5 => ("text", "calendar"),
            _ => ("APPLICATION", "Octet-Stream"),
        };
        String(Ascii(type));
        Text(" ");
        String(Ascii(subtype));
        Text(" ");
        Parameters(_random.Next(4) switch
        {
            0 => null,
            1 => new[] { ("charset", "utf-8") },
            2 => new[] { ("name", Pick(new[] { "report.pdf", "=?UTF-8?B?w6kucGRm?=", "", "a b.txt" })) },
            _ => new[] { ("name*", "utf-8''%C3%A9t%C3%A9.pdf"), ("charset", "us-ascii") },
        });
        Text(" NIL NIL ");
        String(Ascii(Pick(new[] { "7BIT", "BASE64", "QUOTED-PRINTABLE" })));
        Text($" {_random.Next(50_000)}");
        if (type == "message")
        {
            Text(" ");
            Envelope();
            Text(" ");
            Body(depth + 1);
            Text($" {_random.Next(500)}");
        }
        else if (type.Equals("text", StringComparison.OrdinalIgnoreCase))
        {
            Text($" {_random.Next(500)}");
        }

        if (_random.Next(3) > 0)
        {
            Text(" NIL ");
            switch (_random.Next(5))
            {
                case 0: Text("NIL"); break;
                case 1: Text("(\"attachment\" (\"filename\" \"x.bin\"))"); break;
                case 2: Text("(\"inline\" NIL)"); break;
                case 3: Text("(\"inline\" (\"filename\" \"pic.png\"))"); break;
                default: Text("(\"attachment\" NIL)"); break;
            }

            if (_random.Next(2) == 0)
            {
                Text(_random.Next(2) == 0 ? " NIL NIL" : " (\"en\" \"de\") \"http://example.com/x\"");
            }
        }

        Text(")");
    }

    private void Parameters((string Name, string Value)[]? parameters)
    {
        if (parameters is null)
        {
            Text("NIL");
            return;
        }

        Text("(");
        for (var i = 0; i < parameters.Length; i++)
        {
            if (i > 0)
            {
                Text(" ");
            }

            String(Ascii(parameters[i].Name));
            Text(" ");
            String(Ascii(parameters[i].Value));
        }

        Text(")");
    }

    private void NString(byte[]? value)
    {
        if (value is null)
        {
            Text("NIL");
            return;
        }

        String(value);
    }

    /// <summary>A quoted string (escaping \ and ") or, one time in four, a literal.</summary>
    private void String(byte[] value)
    {
        if (_random.Next(4) == 0)
        {
            Text($"{{{value.Length}}}\r\n");
            _out.AddRange(value);
            return;
        }

        _out.Add((byte)'"');
        foreach (var b in value)
        {
            if (b == (byte)'"' || b == (byte)'\\')
            {
                _out.Add((byte)'\\');
            }

            _out.Add(b);
        }

        _out.Add((byte)'"');
    }

    private void Text(string ascii) => _out.AddRange(Encoding.UTF8.GetBytes(ascii));

    private T Pick<T>(T[] values) => values[_random.Next(values.Length)];

    private static byte[] Ascii(string value) => Encoding.UTF8.GetBytes(value);
}
