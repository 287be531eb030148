using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text;

namespace CometGemini.Commands;

/// <summary>
/// Turns a pipeline object into compact text for the model: strings stay as they are, numbers and dates in the
/// invariant culture, hashtables and objects as "Name: value" lines (an object's default display properties when
/// it has them, as Format-List would pick), nested values inline. The one place that does this, so that every
/// command that sends objects as text (embeddings now) says them the same way.
/// </summary>
internal static class ObjectText
{
    private const int MaxDepth = 3;
    private const int MaxItems = 100;

    public static string Format(object? value) => Write(value, depth: 0);

    private static string Write(object? value, int depth)
    {
        object? original = value; // keeps what Add-Member put on a .NET object
        value = value is PSObject { BaseObject: not PSCustomObject } wrapped ? wrapped.BaseObject : value;
        switch (value)
        {
            case null:
                return string.Empty;
            case string plain:
                return plain;
            case char or bool or Guid or Uri or Enum:
                return value.ToString()!;
            case DateTime time:
                return time.ToString("o", CultureInfo.InvariantCulture);
            case DateTimeOffset time:
                return time.ToString("o", CultureInfo.InvariantCulture);
            case IFormattable formattable when value.GetType().IsPrimitive || value is decimal:
                return formattable.ToString(null, CultureInfo.InvariantCulture);
            case ScriptBlock script:
                return script.ToString();
        }

        if (depth >= MaxDepth)
            return Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;

        IEnumerable<KeyValuePair<string, object?>>? members = value switch
        {
            IDictionary dictionary => dictionary.Cast<DictionaryEntry>().Select(e => new KeyValuePair<string, object?>(Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? string.Empty, e.Value)),
            IEnumerable => null,
            _ => Properties(original as PSObject ?? PSObject.AsPSObject(value)),
        };

        if (members is null)
        {
            IEnumerable<string> items = ((IEnumerable)value).Cast<object?>().Take(MaxItems).Select(item => Write(item, depth + 1));
            return depth == 0 ? string.Join(Environment.NewLine, items) : string.Join(", ", items);
        }

        var text = new StringBuilder();
        foreach (KeyValuePair<string, object?> member in members)
        {
            string written = Write(member.Value, depth + 1);
            if (written.Length == 0)
                continue;
            if (text.Length > 0)
                text.Append(depth == 0 ? Environment.NewLine : "; ");
            text.Append(member.Key).Append(": ").Append(written);
        }

        return depth == 0 || text.Length == 0 ? text.ToString() : "{" + text + "}";
    }

    /// <summary>The properties a user sees by default: the DefaultDisplayPropertySet if the type has one, else all.</summary>
    private static IEnumerable<KeyValuePair<string, object?>> Properties(PSObject shell)
    {
        string[]? shown = (shell.Members["PSStandardMembers"]?.Value as PSMemberSet)?.Members["DefaultDisplayPropertySet"] is PSPropertySet set
            ? set.ReferencedPropertyNames.ToArray()
            : null;
        IEnumerable<PSPropertyInfo> properties = shown is null
            ? shell.Properties.Where(p => p.IsGettable)
            : shown.Select(n => shell.Properties[n]).Where(p => p is not null && p.IsGettable);
        foreach (PSPropertyInfo property in properties)
        {
            object? item;
            try
            {
                item = property.Value;
            }
            catch (Exception e) when (e is GetValueException or ExtendedTypeSystemException or InvalidOperationException)
            {
                continue; // a property that throws on read (FileInfo.Target on some systems) is simply left out
            }

            yield return new KeyValuePair<string, object?>(property.Name, item);
        }
    }
}
