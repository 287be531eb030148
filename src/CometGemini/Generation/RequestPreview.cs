using System.Globalization;
using System.Linq;
using CometGemini.Client;

namespace CometGemini.Generation;

/// <summary>What a request would send, in one line for -WhatIf and -Confirm, and in full for -Debug.</summary>
internal static class RequestPreview
{
    private const int PromptLength = 200;

    /// <summary>"Sending 1 request to gemini-3-flash-preview: Summarize the errors…, 2 parts, ~14 KB".</summary>
    public static string Describe(GenerateContentRequest request, string modelId, string action = "Sending 1 request")
    {
        Content? turn = request.Contents.LastOrDefault();
        int parts = turn?.Parts?.Count ?? 0;
        string text = string.Join(" ", turn?.Parts?.Where(p => p.Text is not null && p.Thought != true).Select(p => p.Text) ?? Enumerable.Empty<string?>());
        string prompt = text.Length == 0 ? "(no text)" : DisplayText.Short(text, PromptLength);
        long bytes = Body(request).Length;
        return $"{action} to {modelId}: {prompt}, {parts} part{(parts == 1 ? string.Empty : "s")}, ~{Size(bytes)}";
    }

    /// <summary>The body as the client would send it, shortened as -Debug shows bodies (inline data described, not shown).</summary>
    public static string DebugText(GenerateContentRequest request) => Body(request).ToDebugText(GeminiClient.MaxDebugBody);

    private static RequestBody Body(GenerateContentRequest request) =>
        RequestBody.Serialize(request, GeminiJsonContext.Default.GenerateContentRequest);

    private static string Size(long bytes) =>
        bytes < 1024 ? bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes"
        : bytes < 1024 * 1024 ? (bytes / 1024.0).ToString("N1", CultureInfo.InvariantCulture) + " KB"
        : (bytes / 1048576.0).ToString("N1", CultureInfo.InvariantCulture) + " MB";
}
