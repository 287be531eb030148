using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using CometGemini.Tests.Harness;

namespace CometGemini.Tests;

/// <summary>
/// The layers keep to their side: only Client/ knows the API's URIs (one client per resource over the one transport),
/// so a cmdlet asks for a resource by name and never spells a path (issue 18, point 2).
/// </summary>
public sealed class LayerTests
{
    // Calls that make a URI or send one past the resource clients.
    private static readonly string[] UriCalls = { "ApiUri(", "MethodUri(", "HostUri(", "SendJsonAsync(", "new Uri(" };

    // Pieces of the API's paths and queries.
    private static readonly string[] PathPieces =
    {
        "/v1beta", "v1beta/", ":generateContent", ":streamGenerateContent", ":countTokens", ":embedContent", ":batchEmbedContents",
        ":batchGenerateContent", ":cancel", ":download", "alt=sse", "alt=media", "pageToken=", "pageSize=", "updateMask=",
    };

    // A string literal that starts with a collection of the API: "cachedContents", "batches/", $"files/{id}"...
    private static readonly Regex CollectionLiteral = new(
        @"(?<![A-Za-z0-9_])[$@]{0,2}""(?:models|tunedModels|cachedContents|batches|files|upload|download)(?:/|"")",
        RegexOptions.CultureInvariant);

    // Literals that spell a collection's name for another reason than a URI: each with why.
    private static readonly (string File, string Literal)[] Allowed =
    {
        ("Commands/BatchJobStore.cs", "\"batches\")"), // the local folder of job records, not a path of the API
        ("Commands/ErrorRecords.Batch.cs", "@\"models/\\S+ is not found\""), // reads a server's message, builds nothing
    };

    // The PowerShell side: the cmdlets and their completers (Model/ holds the wire's types and may know its names).
    private static readonly string[] PowerShellFolders = { "Commands", "Completion" };

    public static IEnumerable<object[]> PowerShellSourceFiles()
    {
        string root = Path.Combine(Paths.RepoRoot, "src", "CometGemini");
        return PowerShellFolders
            .SelectMany(folder => Directory.GetFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => new object[] { f });
    }

    [Fact]
    public void Every_command_file_is_scanned()
    {
        string[] files = PowerShellSourceFiles().Select(d => (string)d[0]).ToArray();
        Assert.Contains("Commands/CacheCommand.cs", files);
        Assert.Contains("Commands/GetGeminiEmbeddingCommand.cs", files);
        Assert.True(files.Count(f => f.StartsWith("Commands/", StringComparison.Ordinal)) > 30, "too few command files found: the scan would prove nothing");
    }

    [Theory]
    [MemberData(nameof(PowerShellSourceFiles))]
    public void No_command_file_builds_a_URI_or_holds_an_API_path(string file)
    {
        string[] lines = File.ReadAllLines(Path.Combine(Paths.RepoRoot, "src", "CometGemini", file));
        var found = new List<string>();
        bool inBlockComment = false;
        for (int i = 0; i < lines.Length; i++)
        {
            string code = WithoutComments(lines[i], ref inBlockComment);
            foreach ((string allowedFile, string literal) in Allowed)
            {
                if (allowedFile == file)
                    code = code.Replace(literal, string.Empty, StringComparison.Ordinal);
            }

            IEnumerable<string> hits = UriCalls.Concat(PathPieces).Where(p => code.Contains(p, StringComparison.Ordinal))
                .Concat(CollectionLiteral.Matches(code).Select(m => m.Value));
            foreach (string hit in hits)
                found.Add($"{file}:{i + 1}: '{hit}' in: {lines[i].Trim()}");
        }

        Assert.True(found.Count == 0, "Only Client/ builds URIs (use the resource clients: Client.Caches, Client.Batches, ...):\n" + string.Join("\n", found));
    }

    [Fact]
    public void The_scan_sees_URI_building_and_skips_comments()
    {
        bool block = false;
        Assert.Equal("x = 1; ", WithoutComments("x = 1; // Client.ApiUri(\"cachedContents\")", ref block));
        Assert.Equal("s = \"https://a\"; ", WithoutComments("s = \"https://a\"; // a comment", ref block));
        Assert.Equal("a  b", WithoutComments("a /* c */ b", ref block));
        Assert.Matches(CollectionLiteral, "Client.ApiUri(\"cachedContents\", query)");
        Assert.Matches(CollectionLiteral, "$\"batches/{id}\"");
        Assert.DoesNotMatch(CollectionLiteral, "\"batches.get\"");
        Assert.DoesNotMatch(CollectionLiteral, "'cachedContents/abc123'");
    }

    /// <summary>The line without its // and /* */ comments; string and char literals are kept whole.</summary>
    private static string WithoutComments(string line, ref bool inBlockComment)
    {
        var code = new StringBuilder(line.Length);
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (inBlockComment)
            {
                if (c == '*' && i + 1 < line.Length && line[i + 1] == '/')
                {
                    inBlockComment = false;
                    i++;
                }

                continue;
            }

            if (c == '/' && i + 1 < line.Length && line[i + 1] == '/')
                break;
            if (c == '/' && i + 1 < line.Length && line[i + 1] == '*')
            {
                inBlockComment = true;
                i++;
                continue;
            }

            if (c is '"' or '\'')
            {
                bool verbatim = c == '"' && (i > 0 && line[i - 1] == '@' || i > 1 && line[i - 2] == '@');
                int end = i + 1;
                while (end < line.Length)
                {
                    if (!verbatim && line[end] == '\\')
                        end += 2;
                    else if (line[end] == c && verbatim && end + 1 < line.Length && line[end + 1] == '"')
                        end += 2;
                    else if (line[end] == c)
                        break;
                    else
                        end++;
                }

                end = Math.Min(end, line.Length - 1);
                code.Append(line, i, end - i + 1);
                i = end;
                continue;
            }

            code.Append(c);
        }

        return code.ToString();
    }
}
