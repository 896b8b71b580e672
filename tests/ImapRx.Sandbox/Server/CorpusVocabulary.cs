using MimeKit;

namespace ImapRx.Sandbox.Server;

/// <summary>The words, names and subjects the corpus is made of: ASCII mixed with Latin, Greek, Cyrillic, CJK and emoji.</summary>
internal static class CorpusVocabulary
{
    internal static readonly MailboxAddress[] People =
    {
        new("Alice Example", "alice@example.com"),
        new("Bob Builder", "bob@example.org"),
        new("Jürgen Müller", "juergen.mueller@example.de"),
        new("José Núñez", "jose.nunez@example.es"),
        new("山田 太郎", "taro.yamada@example.jp"),
        new("Zoë Ægirsdóttir", "zoe@example.is"),
        new("Анна Павлова", "anna.pavlova@example.ru"),
        new("Ελένη Παπαδοπούλου", "eleni@example.gr"),
        new("O'Brien, Seán", "sean.obrien@example.ie"),
        new(string.Empty, "noreply@example.net"),
        new("Support \"Team\"", "support@example.com"),
        new("François Lefèvre", "francois@example.fr"),
    };

    internal static readonly string[] Subjects =
    {
        "Quarterly report",
        "Réunion de projet demain",
        "Übersicht Q1: Größen & Maße",
        "会議の議事録",
        "Re: Budget 2026",
        "Fwd: Ελληνικά και English",
        "Party 🎉 on Friday",
        "Привет из Москвы",
        "A rather long subject line that keeps going well past the seventy-eight character folding limit of RFC 5322",
        "[list] Weekly digest",
        "Invoice #4711 (overdue)",
        "Ça va? Naïve café résumé",
    };

    internal static readonly string[] Sentences =
    {
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
        "Sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.",
        "Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris.",
        "Duis aute irure dolor in reprehenderit in voluptate velit esse.",
        "Grüße aus Köln: Äpfel, Öl und Übermut für 12,50 €.",
        "日本語のテキストも含まれています。",
        "Съешь же ещё этих мягких французских булок.",
        "Excepteur sint occaecat cupidatat non proident, sunt in culpa.",
        "The quick brown fox jumps over the lazy dog.",
        "Κείμενο στα ελληνικά για δοκιμή.",
        "Line with trailing spaces and a tab\tinside.",
        "=?not-an-encoded-word?= and a lone = sign.",
    };

    internal static readonly (string Name, string MediaType, string SubType)[] Attachments =
    {
        ("report.pdf", "application", "pdf"),
        ("photo.png", "image", "png"),
        ("data.csv", "text", "csv"),
        ("Übersicht.xlsx", "application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("議事録.txt", "text", "plain"),
        ("archive.zip", "application", "zip"),
    };

    internal static readonly TimeSpan[] Offsets =
    {
        TimeSpan.Zero, TimeSpan.FromHours(1), TimeSpan.FromHours(-5), TimeSpan.FromHours(9), TimeSpan.FromHours(5.5),
    };
}
