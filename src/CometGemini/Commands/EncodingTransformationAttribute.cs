using System;
using System.Globalization;
using System.Management.Automation;
using System.Text;

namespace CometGemini.Commands;

/// <summary>
/// -Encoding takes what PowerShell's own -Encoding takes: an Encoding, a name (utf8, utf8BOM, utf8NoBOM, ascii,
/// latin1, unicode, bigendianunicode, utf32, bigendianutf32, ansi, oem, default), a code page number or an encoding
/// name (windows-1252, shift_jis). "default" is UTF-8 on PowerShell 7 and the ANSI code page on Windows PowerShell.
/// </summary>
internal sealed class EncodingTransformationAttribute : ArgumentTransformationAttribute
{
    internal static readonly string[] Names =
    {
        "utf8", "utf8BOM", "utf8NoBOM", "ascii", "latin1", "unicode", "bigendianunicode", "utf32", "bigendianutf32", "ansi", "oem", "default",
    };

    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = PSObjects.BaseObject(inputData);
        try
        {
            return value switch
            {
                null or Encoding => value,
                int codePage => Encoding.GetEncoding(codePage),
                string name when int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int codePage) => Encoding.GetEncoding(codePage),
                string name => Named(name.Trim()),
                _ => throw new ArgumentException($"{value.GetType().Name} is not an encoding."),
            };
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new ArgumentTransformationMetadataException(
                $"'{value}' is not an encoding this system knows. Use one of {string.Join(", ", Names)}, a code page number (1252) or an encoding name (windows-1252).",
                e);
        }
    }

    private static Encoding Named(string name) => name.ToLowerInvariant() switch
    {
        "utf8" or "utf8nobom" or "utf-8" => new UTF8Encoding(false),
        "utf8bom" => new UTF8Encoding(true),
        "ascii" => Encoding.ASCII,
        "latin1" => Encoding.GetEncoding(28591),
        "unicode" => Encoding.Unicode,
        "bigendianunicode" => Encoding.BigEndianUnicode,
        "utf32" => Encoding.UTF32,
        "bigendianutf32" => new UTF32Encoding(bigEndian: true, byteOrderMark: true),
        "ansi" => Encoding.GetEncoding(CultureInfo.CurrentCulture.TextInfo.ANSICodePage),
        "oem" => Encoding.GetEncoding(CultureInfo.CurrentCulture.TextInfo.OEMCodePage),
        // .NET Framework's Encoding.Default is the ANSI code page, as "Default" is in Windows PowerShell; .NET's is UTF-8.
        "default" => Encoding.Default,
        _ => Encoding.GetEncoding(name),
    };
}
