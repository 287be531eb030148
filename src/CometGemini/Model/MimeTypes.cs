using System;
using System.Collections.Generic;
using System.IO;

namespace CometGemini;

/// <summary>MIME types by file extension, and which of them are sent as text rather than inline bytes.</summary>
internal static class MimeTypes
{
    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        // images
        [".png"] = "image/png", [".jpg"] = "image/jpeg", [".jpeg"] = "image/jpeg", [".webp"] = "image/webp",
        [".gif"] = "image/gif", [".heic"] = "image/heic", [".heif"] = "image/heif", [".bmp"] = "image/bmp",
        // audio
        [".wav"] = "audio/wav", [".mp3"] = "audio/mp3", [".aiff"] = "audio/aiff", [".aac"] = "audio/aac",
        [".ogg"] = "audio/ogg", [".flac"] = "audio/flac", [".m4a"] = "audio/mp4", [".opus"] = "audio/opus",
        // video
        [".mp4"] = "video/mp4", [".mpeg"] = "video/mpeg", [".mpg"] = "video/mpeg", [".mov"] = "video/mov",
        [".avi"] = "video/avi", [".flv"] = "video/x-flv", [".webm"] = "video/webm", [".wmv"] = "video/wmv",
        [".3gp"] = "video/3gpp", [".mkv"] = "video/x-matroska",
        // documents
        [".pdf"] = "application/pdf",
        // text
        [".txt"] = "text/plain", [".log"] = "text/plain", [".text"] = "text/plain", [".md"] = "text/markdown",
        [".markdown"] = "text/markdown", [".csv"] = "text/csv", [".tsv"] = "text/tab-separated-values",
        [".json"] = "application/json", [".jsonl"] = "application/jsonl", [".xml"] = "application/xml",
        [".html"] = "text/html", [".htm"] = "text/html", [".css"] = "text/css", [".rtf"] = "text/rtf",
        [".yaml"] = "application/yaml", [".yml"] = "application/yaml", [".toml"] = "application/toml",
        [".ini"] = "text/plain", [".cfg"] = "text/plain", [".conf"] = "text/plain", [".config"] = "application/xml",
        [".js"] = "text/javascript", [".mjs"] = "text/javascript", [".ts"] = "text/x-typescript",
        [".py"] = "text/x-python", [".ps1"] = "text/x-powershell", [".psm1"] = "text/x-powershell",
        [".psd1"] = "text/x-powershell", [".ps1xml"] = "application/xml", [".cs"] = "text/x-csharp",
        [".java"] = "text/x-java", [".c"] = "text/x-c", [".h"] = "text/x-c", [".cpp"] = "text/x-c++",
        [".hpp"] = "text/x-c++", [".go"] = "text/x-go", [".rs"] = "text/x-rust", [".rb"] = "text/x-ruby",
        [".php"] = "text/x-php", [".sh"] = "text/x-shellscript", [".bash"] = "text/x-shellscript",
        [".bat"] = "text/plain", [".cmd"] = "text/plain", [".sql"] = "text/x-sql", [".kt"] = "text/x-kotlin",
        [".swift"] = "text/x-swift", [".tex"] = "text/x-tex", [".csproj"] = "application/xml",
    };

    /// <summary>The type for a file name's extension, or null when the extension is unknown.</summary>
    public static string? FromPath(string path) =>
        ByExtension.TryGetValue(Path.GetExtension(path), out string? type) ? type : null;

    /// <summary>True when the type is read as text and sent as a text part.</summary>
    public static bool IsText(string mimeType)
    {
        string type = mimeType.Split(';')[0].Trim();
        return type.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || type is "application/json" or "application/jsonl" or "application/xml" or "application/yaml" or "application/toml"
            || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
            || type.EndsWith("+xml", StringComparison.OrdinalIgnoreCase);
    }
}
