using System;
using System.Collections;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CometGemini.Commands;

/// <summary>
/// A response schema made from a .NET or PowerShell class: its public properties become the object's properties.
/// Two dialects: the API's OpenAPI subset (responseSchema: upper-case types, nullable, propertyOrdering) and
/// JSON Schema (responseJsonSchema: lower-case types, null as a type).
/// </summary>
internal static class TypeSchema
{
    public static JsonElement For(Type type, bool jsonSchema, string parameterName)
    {
        JsonObject schema = Build(type, jsonSchema, new Stack<Type>(), parameterName, $"[{type.Name}]");
        using JsonDocument document = JsonDocument.Parse(schema.ToJsonString());
        return document.RootElement.Clone();
    }

    private static JsonObject Build(Type type, bool jsonSchema, Stack<Type> path, string parameterName, string where)
    {
        if (Nullable.GetUnderlyingType(type) is Type underlying)
        {
            JsonObject inner = Build(underlying, jsonSchema, path, parameterName, where);
            if (jsonSchema)
                inner["type"] = new JsonArray(inner["type"]!.GetValue<string>(), "null");
            else
                inner["nullable"] = true;
            return inner;
        }

        if (type == typeof(string) || type == typeof(char) || type == typeof(Guid) || type == typeof(Uri) || type == typeof(TimeSpan))
            return Simple("string", jsonSchema);
        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
            return Simple("string", jsonSchema, "date-time");
        if (type == typeof(bool) || type == typeof(SwitchParameter))
            return Simple("boolean", jsonSchema);
        if (type.IsEnum)
        {
            JsonObject schema = Simple("string", jsonSchema, jsonSchema ? null : "enum");
            schema["enum"] = new JsonArray(Enum.GetNames(type).Select(n => (JsonNode)n).ToArray());
            return schema;
        }

        if (type == typeof(byte) || type == typeof(sbyte) || type == typeof(short) || type == typeof(ushort) || type == typeof(int))
            return Simple("integer", jsonSchema, jsonSchema ? null : "int32");
        if (type == typeof(uint) || type == typeof(long) || type == typeof(ulong))
            return Simple("integer", jsonSchema, jsonSchema ? null : "int64");
        if (type == typeof(float))
            return Simple("number", jsonSchema, jsonSchema ? null : "float");
        if (type == typeof(double) || type == typeof(decimal))
            return Simple("number", jsonSchema, jsonSchema ? null : "double");

        if (typeof(IDictionary).IsAssignableFrom(type) || type == typeof(object) || type == typeof(PSObject) || typeof(Type).IsAssignableFrom(type))
            throw Unusable(parameterName, where, type, "its values have no fixed shape; give it a class type of its own");

        if (ElementType(type) is Type element)
        {
            JsonObject array = Simple("array", jsonSchema);
            array["items"] = Build(element, jsonSchema, path, parameterName, where + "[]");
            return array;
        }

        if (typeof(IEnumerable).IsAssignableFrom(type))
            throw Unusable(parameterName, where, type, "the type of its items is not known; use a typed array such as [string[]]");

        return Object(type, jsonSchema, path, parameterName, where);
    }

    private static JsonObject Object(Type type, bool jsonSchema, Stack<Type> path, string parameterName, string where)
    {
        if (path.Contains(type))
            throw Unusable(parameterName, where, type, "it contains itself, which a response schema cannot express; pass a hashtable schema instead");

        PropertyInfo[] properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && !p.IsDefined(typeof(HiddenAttribute), inherit: true))
            .ToArray();
        if (properties.Length == 0)
            throw Unusable(parameterName, where, type, "it has no public properties");

        path.Push(type);
        JsonObject schema = Simple("object", jsonSchema);
        Describe(schema, type);
        var members = new JsonObject();
        foreach (PropertyInfo property in properties)
        {
            JsonObject member = Build(property.PropertyType, jsonSchema, path, parameterName, where + "." + property.Name);
            Describe(member, property);
            Constrain(member, property);
            members[property.Name] = member;
        }

        path.Pop();
        schema["properties"] = members;
        string[] required = properties.Where(p => Nullable.GetUnderlyingType(p.PropertyType) is null).Select(p => p.Name).ToArray();
        if (required.Length > 0)
            schema["required"] = new JsonArray(required.Select(n => (JsonNode)n).ToArray());
        if (!jsonSchema)
            schema["propertyOrdering"] = new JsonArray(properties.Select(p => (JsonNode)p.Name).ToArray());
        return schema;
    }

    private static JsonObject Simple(string type, bool jsonSchema, string? format = null)
    {
        var schema = new JsonObject { ["type"] = jsonSchema ? type : type.ToUpperInvariant() };
        if (format is not null)
            schema["format"] = format;
        return schema;
    }

    private static void Describe(JsonObject schema, MemberInfo member)
    {
        if (member.GetCustomAttribute<DescriptionAttribute>(inherit: true)?.Description is { Length: > 0 } description)
            schema["description"] = description;
    }

    // PowerShell class properties may carry [ValidateSet(...)] and [ValidateRange(...)]; they tell the model the same.
    private static void Constrain(JsonObject schema, PropertyInfo property)
    {
        if (property.GetCustomAttribute<ValidateSetAttribute>(inherit: true) is { } set && schema["type"]?.ToJsonString().IndexOf("string", StringComparison.OrdinalIgnoreCase) >= 0)
            schema["enum"] = new JsonArray(set.ValidValues.Select(v => (JsonNode)v).ToArray());
        if (property.GetCustomAttribute<ValidateRangeAttribute>(inherit: true) is { } range)
        {
            if (Number(range.MinRange) is double min)
                schema["minimum"] = min;
            if (Number(range.MaxRange) is double max)
                schema["maximum"] = max;
        }
    }

    private static double? Number(object? value) =>
        value is IConvertible convertible && value is not string && value is not bool
            ? convertible.ToDouble(System.Globalization.CultureInfo.InvariantCulture)
            : null;

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
            return type.GetElementType();
        Type? enumerable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }

    private static ArgumentException Unusable(string parameterName, string where, Type type, string why) =>
        new($"-{parameterName}: {where} is a {type.Name}, which cannot become part of a schema: {why}.", parameterName);
}
