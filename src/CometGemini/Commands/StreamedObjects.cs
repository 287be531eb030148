using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace CometGemini.Commands;

/// <summary>
/// Get-GeminiStream -AsObject: the streamed answer text turned into objects. The items of a top-level JSON array are
/// written as soon as each is complete; anything else (an object, a value, an enum choice, plain text) when the
/// stream ends. Thread-confined to the stream's reader.
/// </summary>
internal sealed class StreamedObjects
{
    private readonly StringBuilder _text = new();
    private readonly string? _mimeType;
    private int _scanned;
    private int _depth;
    private bool _inString;
    private bool _escaped;
    private bool? _isArray;
    private int _itemStart = -1;
    private bool _incremental = true;

    public StreamedObjects(string? mimeType) => _mimeType = mimeType;

    /// <summary>How many array items were written while the stream was running.</summary>
    public int Written { get; private set; }

    /// <summary>Set by Complete when a JSON answer did not parse.</summary>
    public StructuredOutputException? Error { get; private set; }

    /// <summary>Adds a piece of answer text; returns the array items it completed.</summary>
    public List<object?> Add(string delta)
    {
        var items = new List<object?>();
        _text.Append(delta);
        if (!StructuredOutput.IsJson(_mimeType) || !_incremental)
            return items;

        for (; _scanned < _text.Length; _scanned++)
        {
            char c = _text[_scanned];
            if (_isArray is null)
            {
                if (char.IsWhiteSpace(c))
                    continue;
                _isArray = c == '[';
                if (_isArray == false)
                {
                    _incremental = false;
                    return items;
                }
            }

            if (_inString)
            {
                if (_escaped)
                    _escaped = false;
                else if (c == '\\')
                    _escaped = true;
                else if (c == '"')
                    _inString = false;
                continue;
            }

            switch (c)
            {
                case '"':
                    _inString = true;
                    break;
                case '[' or '{':
                    _depth++;
                    if (_depth == 1)
                        _itemStart = _scanned + 1;
                    break;
                case ']' or '}':
                    _depth--;
                    if (_depth == 1)
                    {
                        Emit(items, _itemStart, _scanned + 1); // a nested object or array just closed
                        _itemStart = -1;
                    }
                    else if (_depth == 0)
                    {
                        Emit(items, _itemStart, _scanned); // a scalar before the closing bracket
                        _incremental = false;
                        return items;
                    }

                    break;
                case ',' when _depth == 1:
                    Emit(items, _itemStart, _scanned);
                    _itemStart = _scanned + 1;
                    break;
            }

            if (!_incremental)
                return items;
        }

        return items;
    }

    /// <summary>At the end of the stream: what is still to be written. Sets Error when the JSON does not parse.</summary>
    public List<object?> Complete(string? finishReason)
    {
        var items = new List<object?>();
        string text = _text.ToString();
        if (text.Trim().Length == 0)
            return items;

        if (StructuredOutput.IsEnum(_mimeType))
        {
            items.Add(text.Trim());
        }
        else if (!StructuredOutput.IsJson(_mimeType))
        {
            items.Add(text);
        }
        else
        {
            try
            {
                object? value = StructuredOutput.Parse(text, finishReason);
                if (value is object?[] array)
                    items.AddRange(array.Skip(Written));
                else if (Written == 0)
                    items.Add(value);
            }
            catch (StructuredOutputException e)
            {
                Error = e;
            }
        }

        return items;
    }

    private void Emit(List<object?> items, int start, int end)
    {
        if (start < 0 || end <= start)
            return;
        string item = _text.ToString(start, end - start);
        if (item.Trim().Length == 0)
            return;
        try
        {
            using JsonDocument document = JsonDocument.Parse(item);
            items.Add(StructuredOutput.ToPowerShell(document.RootElement));
            Written++;
        }
        catch (JsonException)
        {
            _incremental = false; // not JSON after all: the end of the stream decides
        }
    }
}
