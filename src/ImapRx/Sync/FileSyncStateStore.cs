using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace ImapRx.Sync;

/// <summary>
/// The durable default: one small text file per key in a directory. Writes go to a temporary file that is
/// flushed to disk and then renamed over the old one, so a process that dies mid-write leaves the previous
/// checkpoint intact. A damaged file raises <see cref="InvalidDataException"/> naming it, rather than
/// silently starting over (which would re-deliver a whole folder).
/// </summary>
public sealed class FileSyncStateStore : ISyncStateStore
{
    private const string Header = "imaprx-checkpoint 1";
    private const string Trailer = "end";
    private const string FlagPrefix = "flag.";
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    /// <summary>Creates the store; the directory is created if needed.</summary>
    public FileSyncStateStore(string directory)
    {
        if (string.IsNullOrWhiteSpace(directory))
        {
            throw new ArgumentException("A directory is required.", nameof(directory));
        }

        Directory = System.IO.Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);
    }

    /// <summary>Where the checkpoint files live.</summary>
    public string Directory { get; }

    /// <summary>The file that holds <paramref name="key"/>'s checkpoint.</summary>
    public string PathFor(string key) => System.IO.Path.Combine(Directory, SyncKeys.FileName(key));

    /// <inheritdoc/>
    public async Task<SyncCheckpoint?> LoadAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathFor(key);
        var gate = Gate(path);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            return Parse(path, File.ReadAllLines(path, Encoding.UTF8), key);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc/>
    public async Task SaveAsync(string key, SyncCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        if (checkpoint is null)
        {
            throw new ArgumentNullException(nameof(checkpoint));
        }

        var path = PathFor(key);
        var gate = Gate(path);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            var text = Format(key, checkpoint);
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                var bytes = new UTF8Encoding(false).GetBytes(text);
                await stream.WriteAsync(bytes, 0, bytes.Length, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            Publish(temporary, path);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }

            gate.Release();
        }
    }

    /// <inheritdoc/>
    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathFor(key);
        var gate = Gate(path);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            File.Delete(path);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Puts the written file in place in one atomic step. Another process may create the same key between any
    /// check and the move (two processes' very first save), so the move overwrites instead of checking first.
    /// </summary>
    private static void Publish(string temporary, string path)
    {
#if NET
        File.Move(temporary, path, overwrite: true);
#else
        try
        {
            File.Move(temporary, path);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Replace(temporary, path, null);
        }
#endif
    }

    private SemaphoreSlim Gate(string path) => _locks.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));

    private static string Format(string key, SyncCheckpoint c)
    {
        var text = new StringBuilder();
        text.Append(Header).Append('\n');
        text.Append("key=").Append(Escape(key)).Append('\n');
        text.Append("folder=").Append(Escape(c.Folder)).Append('\n');
        text.Append("uidvalidity=").Append(c.UidValidity.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append("uidnext=").Append(c.UidNext.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append("highestmodseq=").Append(c.HighestModSeq.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append("lastseenuid=").Append(c.LastSeenUid.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append("knownuids=").Append(c.KnownUids).Append('\n');
        if (c.KnownFlags is not null)
        {
            text.Append("knownflags=").Append(c.KnownFlags.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
            foreach (var entry in c.KnownFlags.OrderBy(e => e.Key))
            {
                text.Append(FlagPrefix).Append(entry.Key.ToString(CultureInfo.InvariantCulture)).Append('=').Append(Escape(entry.Value)).Append('\n');
            }
        }

        text.Append(Trailer).Append('\n');
        return text.ToString();
    }

    private static SyncCheckpoint Parse(string path, string[] lines, string key)
    {
        if (lines.Length < 2 || lines[0] != Header || lines[lines.Length - 1] != Trailer)
        {
            throw new InvalidDataException($"The checkpoint file '{path}' is damaged or from an unknown version (expected '{Header}' ... '{Trailer}'). Delete it to resync the folder from scratch.");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < lines.Length - 1; i++)
        {
            var at = lines[i].IndexOf('=');
            if (at <= 0)
            {
                throw new InvalidDataException($"The checkpoint file '{path}' has a damaged line {i + 1}.");
            }

            values[lines[i].Substring(0, at)] = lines[i].Substring(at + 1);
        }

        try
        {
            if (Unescape(values["key"]) != key)
            {
                throw new InvalidDataException($"The checkpoint file '{path}' belongs to another key.");
            }

            return new SyncCheckpoint
            {
                Folder = Unescape(values["folder"]),
                UidValidity = uint.Parse(values["uidvalidity"], CultureInfo.InvariantCulture),
                UidNext = uint.Parse(values["uidnext"], CultureInfo.InvariantCulture),
                HighestModSeq = ulong.Parse(values["highestmodseq"], CultureInfo.InvariantCulture),
                LastSeenUid = uint.Parse(values["lastseenuid"], CultureInfo.InvariantCulture),
                KnownUids = values["knownuids"],
                KnownFlags = ParseFlags(path, values),
            };
        }
        catch (Exception ex) when (ex is KeyNotFoundException or FormatException or OverflowException)
        {
            throw new InvalidDataException($"The checkpoint file '{path}' is damaged: {ex.Message}", ex);
        }
    }

    private static Dictionary<uint, string>? ParseFlags(string path, Dictionary<string, string> values)
    {
        if (!values.TryGetValue("knownflags", out var countText))
        {
            return null;
        }

        var flags = new Dictionary<uint, string>();
        foreach (var entry in values)
        {
            if (entry.Key.StartsWith(FlagPrefix, StringComparison.Ordinal))
            {
                flags[uint.Parse(entry.Key.Substring(FlagPrefix.Length), CultureInfo.InvariantCulture)] = Unescape(entry.Value);
            }
        }

        // The count guards against a file cut short in a way the trailer check cannot see (a lost line).
        if (flags.Count != int.Parse(countText, CultureInfo.InvariantCulture))
        {
            throw new InvalidDataException($"The checkpoint file '{path}' is damaged: {countText} flag entries announced, {flags.Count} found.");
        }

        return flags;
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\n", "\\n").Replace("\r", "\\r");

    private static string Unescape(string value)
    {
        var text = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
                text.Append(value[i] switch { 'n' => '\n', 'r' => '\r', _ => value[i] });
            }
            else
            {
                text.Append(value[i]);
            }
        }

        return text.ToString();
    }
}
