using System.Text.Json.Nodes;
using ImapRx.Sandbox.Server;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace ImapRx.Sandbox.Launcher;

/// <summary>
/// The launcher's requests, each answered through a MailKit connection of its own per user: an independent
/// client for checking what the code under test did. Requests ({"op": ..., ...}):
/// <list type="bullet">
/// <item><c>user</c> creates a user: {name, password}.</item>
/// <item><c>corpus</c> {user, folder, count, seed} writes corpus messages straight into the Maildir: {count}.</item>
/// <item><c>append</c> {user, folder, subject?, from?, body?, seen?, attachments?: [{name, base64}]}: {uid}.</item>
/// <item><c>awkward</c> {user, folder} appends the awkward folder (AwkwardCorpus.Folder): {count, partial: [Message-ID
/// of each message whose ENVELOPE MailKit cannot read]}.</item>
/// <item><c>createFolder</c> {user, name}; <c>deleteFolder</c> {user, name}.</item>
/// <item><c>uids</c> {user, folder}: [uid...]; <c>flags</c> {user, folder}: {uid: "\\Seen \\Flagged $kw"}.</item>
/// <item><c>status</c> {user, folder}: {count, unseen, uidNext, uidValidity}.</item>
/// <item><c>message</c> {user, folder, uid}: base64 of the message exactly as the server stores it.</item>
/// <item><c>subjects</c> {user, folder}: {uid: subject}.</item>
/// <item><c>connections</c> {user}: the user's open IMAP connections, as Dovecot counts them.</item>
/// </list>
/// </summary>
internal sealed class SandboxRequests(DovecotServer server) : IAsyncDisposable
{
    private readonly Dictionary<string, (SandboxUser User, ImapClient? Client)> _users = new(StringComparer.Ordinal);

    public async Task<JsonNode?> HandleAsync(JsonObject request, CancellationToken ct)
    {
        var op = (string?)request["op"] ?? throw new ArgumentException("The request has no op.");
        switch (op)
        {
            case "user":
            {
                var user = await server.CreateUserAsync(cancellationToken: ct);
                _users[user.Name] = (user, null);
                return new JsonObject { ["name"] = user.Name, ["password"] = user.Password };
            }

            case "corpus":
            {
                var (user, _) = Known(request);
                var count = (int?)request["count"] ?? throw new ArgumentException("corpus needs count.");
                var seed = (int?)request["seed"] ?? 1;
                await new MaildirWriter(server).WriteAsync(user, Folder(request), new CorpusGenerator(seed).Generate(count), ct);
                return new JsonObject { ["count"] = count };
            }

            case "createFolder":
            {
                // doveadm, not CREATE through MailKit: "Holder/Child" then exists without "Holder", which the server
                // lists as \Noselect (a name that only holds other folders).
                var name = Required(request, "name");
                await server.RunDoveadmAsync(new[] { "mailbox", "create", "-s", "-u", Known(request).User.Name, name }, ct);
                return name;
            }

            case "connections":
                return await server.CountConnectionsAsync(Known(request).User.Name, ct);
        }

        var client = await ClientAsync(request, ct);
        switch (op)
        {
            case "append":
            {
                var folder = await client.GetFolderAsync(Folder(request), ct);
                var message = BuildMessage(request);
                var flags = (bool?)request["seen"] == true ? MessageFlags.Seen : MessageFlags.None;
                var uid = await folder.AppendAsync(message, flags, ct);
                return uid?.Id ?? throw new InvalidOperationException("No APPENDUID.");
            }

            case "awkward":
            {
                var folder = await client.GetFolderAsync(Folder(request), ct);
                var messages = AwkwardCorpus.Folder();
                foreach (var message in messages)
                {
                    await folder.AppendAsync(message.Parse(), MessageFlags.None, ct);
                }

                return new JsonObject
                {
                    ["count"] = messages.Count,
                    ["partial"] = new JsonArray(messages.Where(m => m.SummaryTooBig).Select(m => (JsonNode?)m.MessageId).ToArray()),
                };
            }

            case "deleteFolder":
            {
                var folder = await client.GetFolderAsync(Required(request, "name"), ct);
                await folder.DeleteAsync(ct);
                return true;
            }

            case "uids":
            {
                var folder = await OpenAsync(client, request, ct);
                var uids = await folder.SearchAsync(MailKit.Search.SearchQuery.All, ct);
                return new JsonArray(uids.Select(u => (JsonNode)u.Id).ToArray());
            }

            case "flags":
            case "subjects":
            {
                var folder = await OpenAsync(client, request, ct);
                var items = await folder.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.Envelope, ct);
                var result = new JsonObject();
                foreach (var item in items)
                {
                    result[item.UniqueId.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)] = op == "flags"
                        ? string.Join(" ", FlagNames(item.Flags ?? MessageFlags.None).Concat(item.Keywords ?? new HashSet<string>()))
                        : item.Envelope?.Subject;
                }

                return result;
            }

            case "status":
            {
                var folder = await client.GetFolderAsync(Folder(request), ct);
                if (folder.IsOpen)
                {
                    await folder.CloseAsync(false, ct);
                }

                await folder.StatusAsync(StatusItems.Count | StatusItems.Unread | StatusItems.UidNext | StatusItems.UidValidity, ct);
                return new JsonObject
                {
                    ["count"] = folder.Count,
                    ["unseen"] = folder.Unread,
                    ["uidNext"] = folder.UidNext?.Id ?? 0,
                    ["uidValidity"] = folder.UidValidity,
                };
            }

            case "message":
            {
                var folder = await OpenAsync(client, request, ct);
                var uid = new UniqueId((uint?)request["uid"] ?? throw new ArgumentException("message needs uid."));
                using var stream = await folder.GetStreamAsync(uid, string.Empty, ct);
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, ct);
                return Convert.ToBase64String(buffer.ToArray());
            }

            default:
                throw new ArgumentException($"Unknown op '{op}'.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, client) in _users.Values)
        {
            if (client is not null)
            {
                try
                {
                    await client.DisconnectAsync(true);
                }
                catch (Exception ex) when (ex is IOException or ImapProtocolException or ImapCommandException)
                {
                    // Going away anyway.
                }

                client.Dispose();
            }
        }
    }

    private static IEnumerable<string> FlagNames(MessageFlags flags)
    {
        foreach (var flag in new[] { MessageFlags.Seen, MessageFlags.Answered, MessageFlags.Flagged, MessageFlags.Deleted, MessageFlags.Draft })
        {
            if ((flags & flag) != 0)
            {
                yield return "\\" + flag;
            }
        }
    }

    private static MimeMessage BuildMessage(JsonObject request)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse((string?)request["from"] ?? "sender@example.com"));
        message.To.Add(MailboxAddress.Parse((string?)request["to"] ?? "user@example.com"));
        message.Subject = (string?)request["subject"] ?? "Test message";
        var body = new BodyBuilder { TextBody = (string?)request["body"] ?? "Hello." };
        if (request["attachments"] is JsonArray attachments)
        {
            foreach (var attachment in attachments.OfType<JsonObject>())
            {
                body.Attachments.Add(Required(attachment, "name"), Convert.FromBase64String(Required(attachment, "base64")));
            }
        }

        message.Body = body.ToMessageBody();
        return message;
    }

    private static string Required(JsonObject request, string name) =>
        (string?)request[name] ?? throw new ArgumentException($"The request needs '{name}'.");

    private static string Folder(JsonObject request) => (string?)request["folder"] ?? "INBOX";

    private static async Task<IMailFolder> OpenAsync(ImapClient client, JsonObject request, CancellationToken ct)
    {
        var folder = await client.GetFolderAsync(Folder(request), ct);
        // Reopen each time: a fresh SELECT shows what the server has now, not what this connection last heard.
        if (folder.IsOpen)
        {
            await folder.CloseAsync(false, ct);
        }

        await folder.OpenAsync(FolderAccess.ReadOnly, ct);
        return folder;
    }

    private (SandboxUser User, ImapClient? Client) Known(JsonObject request)
    {
        var name = Required(request, "user");
        return _users.TryGetValue(name, out var entry) ? entry : throw new ArgumentException($"Unknown user '{name}' (create it with op 'user').");
    }

    private async Task<ImapClient> ClientAsync(JsonObject request, CancellationToken ct)
    {
        var (user, client) = Known(request);
        if (client is { IsConnected: true })
        {
            return client;
        }

        client?.Dispose();
        client = new ImapClient();
        await client.ConnectAsync(server.Host, server.PlainPort, SecureSocketOptions.None, ct);
        await client.AuthenticateAsync(user.Name, user.Password, ct);
        _users[user.Name] = (user, client);
        return client;
    }
}
