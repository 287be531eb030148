using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace CometGemini.Commands;

/// <summary>
/// Objects written into a prompt the way a person would paste them: "Name: value" lines, nested values inline
/// ({a: 1, b: 2}, [x, y]), read through PowerShell's own view of the object (PSObject properties: adapted .NET
/// properties, note properties, hashtable keys), so any object works without a serializer that knows its type.
/// Which properties: those -Property names, else the default display set first, then every other property that holds
/// data (a value, a list of values, a hashtable or custom object); .NET plumbing (a process's Modules, a file's
/// Directory, types, handles) and remoting/CIM notes are left out. Bounded: 60 properties, two levels deep, 20 items
/// per list, 1,000 characters per nested value; a property that throws is left out.
/// </summary>
internal static class InputText
{
    private const int MaxDepth = 2;
    private const int MaxItems = 20;
    private const int MaxNestedChars = 1000;
    private const int MaxProperties = 60;

    // Notes the providers add to every item (Get-Item, Get-ChildItem): where it came from, not what it is.
    private static readonly HashSet<string> ProviderNotes = new(StringComparer.OrdinalIgnoreCase)
    {
        "PSPath", "PSParentPath", "PSChildName", "PSDrive", "PSProvider", "PSIsContainer",
    };

    // What remoting, jobs and CIM add to objects: where they came from, not what they are.
    private static readonly HashSet<string> TransportNotes = new(StringComparer.OrdinalIgnoreCase)
    {
        "PSComputerName", "PSShowComputerName", "RunspaceId", "PSSourceJobInstanceId", "CimClass", "CimInstanceProperties", "CimSystemProperties",
    };

    private static readonly Regex Placeholder = new(@"\{\{|\}\}|\{([^{}]+)\}", RegexOptions.CultureInvariant);

    /// <summary>The object as prompt text: a scalar as itself, a list one item a line, anything else its properties one a line.</summary>
    /// <param name="value">The object.</param>
    /// <param name="picked">-Property: the names (wildcards allowed) of the properties to write, in that order; null for the default choice.</param>
    public static string Describe(object? value, IReadOnlyList<string>? picked = null)
    {
        value = PSObjects.UnwrapUnlessCustom(value);
        if (value is null)
            return string.Empty;
        if (IsScalar(value))
            return Scalar(value);

        var text = new StringBuilder();
        if (value is IEnumerable sequence and not IDictionary)
        {
            foreach (object? item in sequence)
                text.Append("- ").Append(Indent(Inline(item, 1))).Append('\n');
        }
        else
        {
            IEnumerable<(string Name, object? Value)> properties = picked is null ? Properties(value) : Picked(value, picked);
            foreach ((string name, object? property) in properties.Take(MaxProperties))
                text.Append(name).Append(": ").Append(Indent(Inline(property, 1))).Append('\n');
        }

        return text.ToString().TrimEnd('\n');
    }

    /// <summary>Several objects as one text: each under a numbered heading.</summary>
    public static string DescribeAll(IReadOnlyList<string> described)
    {
        var text = new StringBuilder();
        for (int i = 0; i < described.Count; i++)
            text.Append(i == 0 ? string.Empty : "\n\n").Append($"--- item {i + 1} of {described.Count} ---\n").Append(described[i]);
        return text.ToString();
    }

    /// <summary>
    /// The template with each {Name} (or {Owner.Name}) replaced by that property of <paramref name="value"/> ({{ and }} stay
    /// braces); null with the name of the first property the object lacks.
    /// </summary>
    public static string? Fill(string template, object? value, out string? missing)
    {
        string? lacking = null;
        string filled = Placeholder.Replace(template, match =>
        {
            if (match.Value == "{{")
                return "{";
            if (match.Value == "}}")
                return "}";
            string path = match.Groups[1].Value.Trim();
            object? current = value;
            foreach (string name in path.Split('.'))
            {
                if (!TryGetProperty(current, name, out current))
                {
                    lacking ??= path;
                    return match.Value;
                }
            }

            return Inline(current, 1);
        });
        missing = lacking;
        return lacking is null ? filled : null;
    }

    /// <summary>Why <paramref name="template"/> cannot be a -PromptTemplate (a brace that opens or closes no placeholder), or null.</summary>
    public static string? TemplateProblem(string template)
    {
        string rest = Placeholder.Replace(template, match => new string(' ', match.Length));
        int at = rest.IndexOfAny(new[] { '{', '}' });
        if (at < 0)
            return null;
        string near = template.Substring(Math.Max(0, at - 15), Math.Min(template.Length, at + 15) - Math.Max(0, at - 15));
        return $"-PromptTemplate has a '{rest[at]}' that {(rest[at] == '{' ? "opens" : "closes")} no placeholder, at character {at + 1} ('{near}'). "
            + "Write placeholders as {PropertyName} (or {Property.SubProperty}), and {{ and }} for literal braces.";
    }

    /// <summary>The names of the properties <paramref name="value"/> has, for an error message.</summary>
    public static string PropertyNames(object? value) =>
        string.Join(", ", AllProperties(PSObjects.UnwrapUnlessCustom(value)).Select(p => p.Name).Take(30));

    private static bool TryGetProperty(object? value, string name, out object? result)
    {
        result = null;
        value = PSObjects.UnwrapUnlessCustom(value);
        if (value is null)
            return false;
        if (value is IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                if (string.Equals(Convert.ToString(entry.Key, CultureInfo.InvariantCulture), name, StringComparison.OrdinalIgnoreCase))
                {
                    result = entry.Value;
                    return true;
                }
            }

            return false;
        }

        PSPropertyInfo? property = PSObject.AsPSObject(value).Properties[name];
        if (property is null)
            return false;
        try
        {
            result = property.Value;
        }
        catch (Exception e) when (e is GetValueException or ExtendedTypeSystemException or InvalidOperationException or NotSupportedException)
        {
            result = null;
        }

        return true;
    }

    private static string Inline(object? value, int depth)
    {
        value = PSObjects.UnwrapUnlessCustom(value);
        if (value is null)
            return string.Empty;
        if (IsScalar(value))
            return Scalar(value);
        if (depth > MaxDepth)
            return Short(value);

        var text = new StringBuilder();
        if (value is IEnumerable sequence and not IDictionary)
        {
            int count = 0;
            text.Append('[');
            foreach (object? item in sequence)
            {
                if (count == MaxItems)
                {
                    text.Append(", …");
                    break;
                }

                text.Append(count++ == 0 ? string.Empty : ", ").Append(Inline(item, depth + 1));
            }

            text.Append(']');
        }
        else
        {
            text.Append('{');
            int count = 0;
            foreach ((string name, object? property) in Properties(value))
                text.Append(count++ == 0 ? string.Empty : ", ").Append(name).Append(": ").Append(Inline(property, depth + 1));
            text.Append('}');
        }

        return text.Length > MaxNestedChars ? text.ToString(0, MaxNestedChars) + "…" : text.ToString();
    }

    // -Property: the properties whose names match, in the order the patterns name them (each once).
    private static IEnumerable<(string Name, object? Value)> Picked(object value, IReadOnlyList<string> patterns)
    {
        var all = AllProperties(value).ToList();
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string pattern in patterns)
        {
            var wildcard = new WildcardPattern(pattern, WildcardOptions.IgnoreCase);
            foreach ((string name, object? read) in all)
            {
                if (wildcard.IsMatch(name) && taken.Add(name))
                    yield return (name, read);
            }
        }
    }

    // The properties worth a reader's time: the display set and notes first, then the rest that hold data; nulls left out.
    private static IEnumerable<(string Name, object? Value)> Properties(object? value)
    {
        if (value is null)
            yield break;
        if (value is IDictionary)
        {
            foreach ((string name, object? read) in AllProperties(value))
                yield return (name, read);
            yield break;
        }

        PSObject shell = value as PSObject ?? PSObject.AsPSObject(value);
        bool custom = shell.BaseObject is PSCustomObject; // an Import-Csv row, a [pscustomobject]: all of it is data
        HashSet<string>? shown = DisplaySet(shell);
        var readable = Readable(shell).ToList();
        var names = new HashSet<string>(readable.Select(r => r.Name), StringComparer.OrdinalIgnoreCase);
        var later = new List<(string Name, object? Value)>();
        foreach ((string name, object? read, PSMemberTypes kind) in readable)
        {
            if (custom || shown?.Contains(name) == true || (shown is not null && kind == PSMemberTypes.NoteProperty && HoldsData(read)))
                yield return (name, read);
            else if (HoldsData(read) && read is not "" && !names.Contains(name + "64")) // WorkingSet beside WorkingSet64: the old 32-bit copy
                later.Add((name, read));
        }

        foreach ((string name, object? read) in later)
            yield return (name, read);
    }

    // Every readable property, as -Property and {Placeholder} see them.
    private static IEnumerable<(string Name, object? Value)> AllProperties(object? value)
    {
        if (value is null)
            yield break;
        if (value is IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                if (entry.Value is not null)
                    yield return (Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty, entry.Value);
            }

            yield break;
        }

        foreach ((string name, object? read, _) in Readable(value as PSObject ?? PSObject.AsPSObject(value)))
            yield return (name, read);
    }

    private static IEnumerable<(string Name, object? Value, PSMemberTypes Kind)> Readable(PSObject shell)
    {
        foreach (PSPropertyInfo property in shell.Properties)
        {
            if (ProviderNotes.Contains(property.Name) || TransportNotes.Contains(property.Name) || property.Name.StartsWith("__", StringComparison.Ordinal)
                || !property.IsGettable)
                continue;
            object? read;
            try
            {
                read = property.Value;
            }
            catch (Exception e) when (e is GetValueException or ExtendedTypeSystemException or InvalidOperationException or NotSupportedException or PlatformNotSupportedException)
            {
                continue;
            }

            if (read is not null)
                yield return (property.Name, read, property.MemberType);
        }
    }

    // A type's DefaultDisplayPropertySet (Get-Service: Status, Name, DisplayName), or null when it has none.
    private static HashSet<string>? DisplaySet(PSObject shell) =>
        (shell.Members["PSStandardMembers"]?.Value as PSMemberSet)?.Members["DefaultDisplayPropertySet"] is PSPropertySet set
            ? new HashSet<string>(set.ReferencedPropertyNames, StringComparer.OrdinalIgnoreCase)
            : null;

    // Data, not plumbing: a value, a list of values, a hashtable or a custom object (an Import-Csv row, a pscustomobject).
    private static bool HoldsData(object? value)
    {
        value = PSObjects.UnwrapUnlessCustom(value);
        if (value is null or IntPtr or UIntPtr or Type or System.Reflection.MemberInfo)
            return false;
        if (IsScalar(value) || value is IDictionary or PSObject)
            return true;
        if (value is IEnumerable sequence)
            return sequence.Cast<object?>().Take(MaxItems).All(item => item is null || IsScalar(PSObjects.UnwrapUnlessCustom(item)!));
        return false;
    }

    private static bool IsScalar(object value) =>
        value is string or char or bool or Enum or DateTime or DateTimeOffset or TimeSpan or Guid or Uri or Version or IPAddress or decimal
        || value.GetType().IsPrimitive;

    private static string Scalar(object value) => value switch
    {
        DateTime dt => dt.ToString(dt.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DateTimeOffset dto => dto.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    // An object too deep to spell out: its own text if it has one, else its name, else its type.
    private static string Short(object value)
    {
        string text = value.ToString() ?? string.Empty;
        if (text.Length > 0 && text != value.GetType().FullName)
            return text;
        return TryGetProperty(value, "Name", out object? name) && name is not null ? Scalar(name) : value.GetType().Name;
    }

    // A multi-line value stays under its name: later lines indented.
    private static string Indent(string text) => text.Replace("\r\n", "\n").Replace("\n", "\n  ");
}
