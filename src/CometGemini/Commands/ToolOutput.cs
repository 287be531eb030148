using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text;
using System.Text.Json;

namespace CometGemini.Commands;

/// <summary>A function call's arguments, from the model's JSON to what PowerShell splats.</summary>
internal static class ToolArguments
{
    public static Hashtable ToHashtable(JsonElement? args)
    {
        var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
        if (args is JsonElement { ValueKind: JsonValueKind.Object } element)
        {
            foreach (JsonProperty property in element.EnumerateObject())
                table[property.Name] = ToValue(property.Value);
        }

        return table;
    }

    /// <summary>The most of a call's arguments that the confirmation, -WhatIf and -Verbose show; the rest is counted.</summary>
    internal const int MaxShownArguments = 2_000;

    // Parameters no model may set, declared or not: they would write the caller's variables or change how the call runs.
    private static readonly HashSet<string> NeverBound = new(
        Cmdlet.CommonParameters.Concat(Cmdlet.OptionalCommonParameters).Concat(new[] { "ProgressAction" }),
        StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The call as the user sees it before it runs: <c>Name {"Param":...}</c>, the arguments compact JSON with every
    /// control character escaped (nothing in them can move the cursor or rewrite the prompt), long ones cut and counted.
    /// </summary>
    public static string Describe(FunctionCall call)
    {
        string json = call.ArgumentsJson;
        if (json.Length > MaxShownArguments)
        {
            int cut = char.IsHighSurrogate(json[MaxShownArguments - 1]) ? MaxShownArguments - 1 : MaxShownArguments;
            json = json.Substring(0, cut) + $"… {(json.Length - cut).ToString("N0", CultureInfo.InvariantCulture)} more characters";
        }

        return FunctionCall.Visible(call.Name ?? string.Empty) + " " + json;
    }

    /// <summary>
    /// Why arguments cannot bind, or null: a name the declaration sent to the model does not list (its parameters'
    /// properties, or the short form's names), or a common parameter (-Force only when declared).
    /// </summary>
    public static string? Undeclared(JsonElement? args, JsonElement? declaration)
    {
        if (args is not JsonElement { ValueKind: JsonValueKind.Object } given)
            return null;
        HashSet<string> declared = DeclaredParameters(declaration);
        List<string> refused = given.EnumerateObject()
            .Select(p => p.Name)
            .Where(n => NeverBound.Contains(n) || !declared.Contains(n))
            .ToList();
        return refused.Count == 0
            ? null
            : $"Not run: {string.Join(", ", refused)} {(refused.Count == 1 ? "is not a parameter" : "are not parameters")} of this function. "
              + (declared.Count == 0 ? "It takes no arguments." : "Use only the declared parameters: " + string.Join(", ", declared.OrderBy(n => n, StringComparer.OrdinalIgnoreCase)) + ".");
    }

    private static HashSet<string> DeclaredParameters(JsonElement? declaration)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (declaration is not JsonElement { ValueKind: JsonValueKind.Object } function)
            return names;
        foreach (string key in new[] { "parameters", "parametersJsonSchema" })
        {
            if (!function.TryGetProperty(key, out JsonElement schema) || schema.ValueKind != JsonValueKind.Object)
                continue;
            if (schema.TryGetProperty("properties", out JsonElement properties) && properties.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty property in properties.EnumerateObject())
                    names.Add(property.Name);
            }
            else if (!schema.TryGetProperty("type", out _))
            {
                foreach (JsonProperty property in schema.EnumerateObject())
                    names.Add(property.Name); // the short form: @{ a = 'int' }
            }
        }

        names.RemoveWhere(n => NeverBound.Contains(n) && !n.Equals("Force", StringComparison.OrdinalIgnoreCase));
        return names;
    }

    /// <summary>
    /// Why the call cannot run as given (a mandatory parameter missing in every parameter set), or null. Arguments
    /// for parameters a model cannot fill (credentials: PowerShell would prompt for the password) are dropped here.
    /// </summary>
    public static string? Missing(object runner, Hashtable arguments)
    {
        List<List<(string Name, IReadOnlyCollection<string> Aliases, bool Mandatory, Type Type)>> sets = runner switch
        {
            CommandInfo command => command.ParameterSets
                .Select(set => set.Parameters.Select(p => (p.Name, (IReadOnlyCollection<string>)p.Aliases, p.IsMandatory, p.ParameterType)).ToList())
                .ToList(),
            ScriptBlock script => new() { ScriptParameters(script) },
            _ => new(),
        };
        if (sets.Count == 0)
            return null;

        foreach (var parameter in sets.SelectMany(set => set).Where(p => ToolDeclarations.CannotBeFilled(p.Type)))
            arguments.Remove(parameter.Name);
        bool Given(string name, IReadOnlyCollection<string> aliases) =>
            arguments.ContainsKey(name) || aliases.Any(arguments.ContainsKey);
        List<string>[] missing = sets
            .Select(set => set.Where(p => p.Mandatory && !Given(p.Name, p.Aliases)).Select(p => p.Name).ToList())
            .ToArray();
        if (missing.Any(m => m.Count == 0))
            return null;
        return "Missing required argument(s): " + string.Join(", ", missing.OrderBy(m => m.Count).First()) + ". Call again with them.";
    }

    private static List<(string Name, IReadOnlyCollection<string> Aliases, bool Mandatory, Type Type)> ScriptParameters(ScriptBlock script)
    {
        var parameters = new List<(string, IReadOnlyCollection<string>, bool, Type)>();
        if (script.Ast is not ScriptBlockAst { ParamBlock: { } block })
            return parameters;
        foreach (ParameterAst parameter in block.Parameters)
        {
            bool mandatory = parameter.Attributes.OfType<AttributeAst>()
                .Where(a => a.TypeName.GetReflectionAttributeType() == typeof(ParameterAttribute))
                .SelectMany(a => a.NamedArguments)
                .Any(n => n.ArgumentName.Equals("Mandatory", StringComparison.OrdinalIgnoreCase)
                          && (n.ExpressionOmitted || !n.Argument.Extent.Text.Equals("$false", StringComparison.OrdinalIgnoreCase)));
            parameters.Add((parameter.Name.VariablePath.UserPath, Array.Empty<string>(), mandatory, parameter.StaticType));
        }

        return parameters;
    }

    private static object? ToValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.TryGetInt32(out int i) ? i : value.TryGetInt64(out long l) ? l : value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Array => value.EnumerateArray().Select(ToValue).ToArray(),
        JsonValueKind.Object => ToHashtable(value),
        _ => null,
    };
}

/// <summary>
/// What a command returned, as the object functionResponse.response must be: {"output": ...}, {"error": ...},
/// or both with "errors". Objects become JSON the way a reader would want them: the properties PowerShell
/// shows by default, a few levels deep, long lists and texts cut short.
/// </summary>
internal static class ToolOutput
{
    private const int MaxText = 20_000;

    // A result goes back to the model, and with every later turn: over this it is made shallower and shorter.
    private const int Budget = 64 * 1024;
    private static readonly (int Depth, int Items)[] Shapes = { (3, 100), (2, 20), (1, 5) };

    public static JsonElement Error(string message) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("error", message);
        writer.WriteEndObject();
    });

    public static JsonElement Result(IList<PSObject> output, IReadOnlyList<string> errors)
    {
        JsonElement result = default;
        foreach ((int depth, int items) in Shapes)
        {
            result = Write(writer => WriteResult(writer, output, errors, new Shape(depth, items)));
            if (result.GetRawText().Length <= Budget)
                return result;
        }

        string cut = result.GetRawText().Substring(0, Budget);
        return Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("output", cut);
            writer.WriteString("note", $"The output was over {Budget / 1024} KB and was cut; ask for less (filter, select properties).");
            writer.WriteEndObject();
        });
    }

    private static void WriteResult(Utf8JsonWriter writer, IList<PSObject> output, IReadOnlyList<string> errors, Shape shape)
    {
        writer.WriteStartObject();
        if (output.Count > 0 || errors.Count == 0)
        {
            writer.WritePropertyName("output");
            if (output.Count == 1)
                WriteValue(writer, output[0], 0, shape, topLevel: true);
            else
                WriteList(writer, output.Cast<object?>(), 0, shape, topLevel: true);
        }

        if (errors.Count > 0)
        {
            if (output.Count == 0)
            {
                writer.WriteString("error", string.Join("\n", errors));
            }
            else
            {
                writer.WriteStartArray("errors");
                foreach (string error in errors)
                    writer.WriteStringValue(error);
                writer.WriteEndArray();
            }
        }

        writer.WriteEndObject();
    }

    private readonly record struct Shape(int Depth, int Items);

    private static JsonElement Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            write(writer);
        using JsonDocument document = JsonDocument.Parse(buffer.ToArray());
        return document.RootElement.Clone();
    }

    private static void WriteList(Utf8JsonWriter writer, IEnumerable<object?> items, int depth, Shape shape, bool topLevel)
    {
        writer.WriteStartArray();
        int count = 0;
        foreach (object? item in items)
        {
            if (count++ == shape.Items)
            {
                writer.WriteStringValue("(more items left out)");
                break;
            }

            WriteValue(writer, item, depth + 1, shape, topLevel);
        }

        writer.WriteEndArray();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value, int depth, Shape shape, bool topLevel = false)
    {
        PSObject? wrapper = value as PSObject;
        object? bare = PSObjects.UnwrapUnlessCustom(value);
        switch (bare)
        {
            case null:
                writer.WriteNullValue();
                return;
            case string s:
                writer.WriteStringValue(s.Length > MaxText ? s.Substring(0, MaxText) + "…" : s);
                return;
            case char or Guid or Uri or Version:
                writer.WriteStringValue(bare.ToString());
                return;
            case bool b:
                writer.WriteBooleanValue(b);
                return;
            case Enum e:
                writer.WriteStringValue(e.ToString());
                return;
            case DateTime dt:
                writer.WriteStringValue(dt.ToString("o", CultureInfo.InvariantCulture));
                return;
            case DateTimeOffset dto:
                writer.WriteStringValue(dto.ToString("o", CultureInfo.InvariantCulture));
                return;
            case TimeSpan ts:
                writer.WriteStringValue(ts.ToString("c", CultureInfo.InvariantCulture));
                return;
            case byte or sbyte or short or ushort or int or uint or long:
                writer.WriteNumberValue(Convert.ToInt64(bare, CultureInfo.InvariantCulture));
                return;
            case ulong ul:
                writer.WriteNumberValue(ul);
                return;
            case float or double or decimal:
                double d = Convert.ToDouble(bare, CultureInfo.InvariantCulture);
                if (double.IsNaN(d) || double.IsInfinity(d))
                    writer.WriteStringValue(d.ToString(CultureInfo.InvariantCulture));
                else
                    writer.WriteNumberValue(d);
                return;
            case JsonElement element:
                element.WriteTo(writer);
                return;
        }

        if (depth >= shape.Depth)
        {
            writer.WriteStringValue(bare.ToString());
            return;
        }

        switch (bare)
        {
            case IDictionary dictionary:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty);
                    WriteValue(writer, entry.Value, depth + 1, shape);
                }

                writer.WriteEndObject();
                return;
            case IEnumerable sequence:
                WriteList(writer, sequence.Cast<object?>(), depth, shape, topLevel: false);
                return;
        }

        PSObject target = wrapper ?? PSObject.AsPSObject(bare);
        writer.WriteStartObject();
        foreach (PSPropertyInfo property in Properties(target, topLevel))
        {
            object? propertyValue;
            try
            {
                propertyValue = property.Value;
            }
            catch (Exception e) when (e is GetValueException or RuntimeException or InvalidOperationException or NotSupportedException)
            {
                continue; // some properties throw when read (a stopped service's handle): leave them out
            }

            writer.WritePropertyName(property.Name);
            WriteValue(writer, propertyValue, depth + 1, shape);
        }

        writer.WriteEndObject();
    }

    // The properties PowerShell shows by default (DefaultDisplayPropertySet) when the type has them, else all readable ones.
    private static IEnumerable<PSPropertyInfo> Properties(PSObject target, bool topLevel)
    {
        if (topLevel
            && target.Members["PSStandardMembers"]?.Value is PSMemberSet standard
            && standard.Members["DefaultDisplayPropertySet"]?.Value is PSPropertySet display)
        {
            return display.ReferencedPropertyNames.Select(n => target.Properties[n]).Where(p => p is not null);
        }

        return target.Properties.Where(p => p.IsGettable);
    }
}
