using System;
using System.IO;
using MimeKit;

namespace ImapRx.Model;

/// <summary>
/// One message exactly as the server stores it (RFC 5322 bytes from BODY.PEEK[], so it is not marked read).
/// Nothing is parsed until <see cref="Parse"/> is called: backups and exports copy the bytes untouched.
/// </summary>
public sealed class MailMessageContent
{
    /// <summary>Creates a content record (mainly for tests and fakes).</summary>
    public MailMessageContent(string folder, uint uid, uint uidValidity, ReadOnlyMemory<byte> data)
    {
        Folder = folder ?? throw new ArgumentNullException(nameof(folder));
        Uid = uid;
        UidValidity = uidValidity;
        Data = data;
    }

    /// <summary>The folder's full name.</summary>
    public string Folder { get; }

    /// <summary>The message's UID.</summary>
    public uint Uid { get; }

    /// <summary>The folder's UIDVALIDITY the UID belongs to.</summary>
    public uint UidValidity { get; }

    /// <summary>The raw message.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The size in bytes (the server's RFC822.SIZE).</summary>
    public int Size => Data.Length;

    /// <summary>A read-only stream over <see cref="Data"/>.</summary>
    public Stream OpenRead()
        => System.Runtime.InteropServices.MemoryMarshal.TryGetArray(Data, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(Data.ToArray(), writable: false);

    /// <summary>Parses the bytes (best effort, as MimeKit does for damaged mail).</summary>
    /// <exception cref="ImapMessageMalformedException">Not even MimeKit's best effort gives a message (no bytes at all, say).</exception>
    public MimeMessage Parse()
    {
        using var stream = OpenRead();
        try
        {
            return MimeMessage.Load(stream);
        }
        catch (Exception ex) when (ImapErrors.IsUnparsable(ex))
        {
            throw new ImapMessageMalformedException(Folder, Uid, ex);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Folder}#{Uid} ({Size} bytes)";
}
