using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Security;
using System.Text;
using System.Threading;
using CometGemini.Client;

namespace CometGemini.Tests.Harness;

/// <summary>What the fuzz, soak and hostile-server tests share: the long-mode switch, the corpus, mutations, a quiet log.</summary>
internal static class Fuzz
{
    /// <summary>COMETGEMINI_LONG_TESTS=1 runs the fuzz and soak tests many times longer (minutes instead of seconds).</summary>
    public static readonly bool LongMode = Environment.GetEnvironmentVariable("COMETGEMINI_LONG_TESTS") == "1";

    public static readonly string CorpusDir = Paths.Fixture("fuzz-corpus");

    public static long Iterations(long ci) => LongMode ? ci * 50 : ci;

    public static IEnumerable<string> Corpus(string extension) =>
        Directory.GetFiles(CorpusDir, "*" + extension).OrderBy(f => f, StringComparer.Ordinal);

    public static IEnumerable<object[]> CorpusFiles(string extension) => Corpus(extension).Select(f => new object[] { Path.GetFileName(f) });

    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(CorpusDir, name));

    public static SecureString Key(string key = Shell.TestKey)
    {
        var secure = new SecureString();
        foreach (char c in key)
            secure.AppendChar(c);
        secure.MakeReadOnly();
        return secure;
    }

    public static GenerateContentRequest Request(string prompt = "fuzz") => new()
    {
        Contents = new List<Content> { new() { Role = "user", Parts = new List<Part> { new() { Text = prompt } } } },
    };

    // Values that JSON allows where the schema wants something else: the shapes a broken or newer server may send.
    private static readonly string[] HostileValues =
    {
        "null", "1e400", "-1e400", "99999999999999999999999", "-1", "0.5", "\"BRAND_NEW_ENUM_VALUE\"", "\"\"", "true",
        "{}", "[]", "[null]", "{\"zzUnknown\":[1,{\"a\":null}]}", new string('[', 3000) + new string(']', 3000),
        "\"\\ud800\"", "\"NaNs\"", "\"x\"",
    };

    /// <summary>One mutation of <paramref name="body"/>: cut, flipped or inserted bytes, a value swapped for a hostile one, an unknown field.</summary>
    public static byte[] Mutate(byte[] body, Random random)
    {
        if (body.Length == 0)
            return body;
        switch (random.Next(7))
        {
            case 0: // truncated
                return body[..random.Next(body.Length)];
            case 1: // a random byte
            {
                byte[] copy = (byte[])body.Clone();
                copy[random.Next(copy.Length)] = (byte)random.Next(256);
                return copy;
            }
            case 2: // invalid UTF-8 inserted
            {
                byte[][] bad = { new byte[] { 0xC3, 0x28 }, new byte[] { 0xFF }, new byte[] { 0x80 }, new byte[] { 0xED, 0xA0, 0x80 }, new byte[] { 0xF0, 0x9F } };
                int at = random.Next(body.Length);
                return body[..at].Concat(bad[random.Next(bad.Length)]).Concat(body[at..]).ToArray();
            }
            case 3: // framing changed: CRLF, LF and CR swapped about
            {
                string text = Encoding.UTF8.GetString(body);
                string[] endings = { "\r\n", "\n", "\r" };
                return Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n").Replace("\n", endings[random.Next(3)]));
            }
            case 4: // unknown field
            {
                int brace = IndexOfNth(body, (byte)'{', random);
                if (brace < 0)
                    return body;
                byte[] field = Encoding.UTF8.GetBytes("\"zz" + random.Next(1000) + "\":{\"nested\":[1,2,{\"deeper\":null}]},");
                return body[..(brace + 1)].Concat(field).Concat(body[(brace + 1)..]).ToArray();
            }
            default: // a value replaced by a hostile one
            {
                string text = Encoding.UTF8.GetString(body);
                var colons = new List<int>();
                for (int i = text.IndexOf("\":", StringComparison.Ordinal); i >= 0; i = text.IndexOf("\":", i + 2, StringComparison.Ordinal))
                    colons.Add(i + 2);
                if (colons.Count == 0)
                    return body;
                int start = colons[random.Next(colons.Count)];
                while (start < text.Length && text[start] == ' ')
                    start++;
                int end = ValueEnd(text, start);
                return Encoding.UTF8.GetBytes(text[..start] + HostileValues[random.Next(HostileValues.Length)] + text[end..]);
            }
        }
    }

    /// <summary>Reads every public property (two levels down, through arrays) and ToString, as a format view or a user would.</summary>
    public static void Touch(object? value, int depth = 3)
    {
        if (value is null || depth == 0)
            return;
        _ = value.ToString();
        if (value is string || value.GetType().IsPrimitive || value is System.Text.Json.JsonElement)
            return;
        if (value is IEnumerable items)
        {
            foreach (object? item in items.Cast<object?>().Take(50))
                Touch(item, depth - 1);
            return;
        }

        foreach (PropertyInfo property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.GetMethod is null || property.PropertyType == typeof(Exception))
                continue;
            object? child;
            try
            {
                child = property.GetValue(value);
            }
            catch (TargetInvocationException e) when (e.InnerException is FormatException && value is GeminiMedia)
            {
                continue; // base64 that is not base64: the media's Bytes say so, and -OutFolder reports it (GeminiMediaNotSaved)
            }

            Touch(child, depth - 1);
        }
    }

    private static int IndexOfNth(byte[] body, byte b, Random random)
    {
        var positions = new List<int>();
        for (int i = 0; i < body.Length; i++)
        {
            if (body[i] == b)
                positions.Add(i);
        }

        return positions.Count == 0 ? -1 : positions[random.Next(positions.Count)];
    }

    // Where the JSON value starting at `start` ends (roughly: strings, nested brackets, scalars).
    private static int ValueEnd(string text, int start)
    {
        if (start >= text.Length)
            return start;
        char first = text[start];
        if (first == '"')
        {
            for (int i = start + 1; i < text.Length; i++)
            {
                if (text[i] == '\\')
                    i++;
                else if (text[i] == '"')
                    return i + 1;
            }

            return text.Length;
        }

        if (first is '{' or '[')
        {
            int level = 0;
            bool inString = false;
            for (int i = start; i < text.Length; i++)
            {
                char c = text[i];
                if (inString)
                {
                    if (c == '\\')
                        i++;
                    else if (c == '"')
                        inString = false;
                }
                else if (c == '"')
                {
                    inString = true;
                }
                else if (c is '{' or '[')
                {
                    level++;
                }
                else if (c is '}' or ']' && --level == 0)
                {
                    return i + 1;
                }
            }

            return text.Length;
        }

        int end = start;
        while (end < text.Length && text[end] is not (',' or '}' or ']' or '\r' or '\n'))
            end++;
        return end;
    }
}

/// <summary>An IClientLog that keeps what it is told (for secret scans) and nothing else.</summary>
internal sealed class RecordingLog : IClientLog
{
    private readonly List<string> _lines = new();

    public bool IsDebugEnabled => true;

    public bool IsVerboseEnabled => true;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
                return _lines.ToArray();
        }
    }

    public void Verbose(string message)
    {
        lock (_lines)
            _lines.Add(message);
    }

    public void Waiting(string why, System.TimeSpan total, System.TimeSpan left)
    {
        lock (_lines)
            _lines.Add(why);
    }

    public void Debug(string message)
    {
        lock (_lines)
            _lines.Add(message);
    }
}
