using System;
using System.Security.Cryptography;
using System.Text;

namespace ImapRx.Sync;

internal static class SyncKeys
{
    internal static string Check(string key)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw new ArgumentException("A checkpoint key is required.", nameof(key));
        }

        return key;
    }

    /// <summary>A file name for any key: readable prefix plus a hash, so keys never collide or escape the directory.</summary>
    internal static string FileName(string key)
    {
        Check(key);
        var safe = new StringBuilder();
        foreach (var c in key)
        {
            safe.Append(char.IsLetterOrDigit(c) && c < 128 ? c : '_');
            if (safe.Length == 40)
            {
                break;
            }
        }

        using var sha = SHA256.Create();
        var hash = BitConverter.ToString(sha.ComputeHash(Encoding.UTF8.GetBytes(key)), 0, 8).Replace("-", string.Empty).ToLowerInvariant();
        return $"{safe}-{hash}.checkpoint";
    }
}
