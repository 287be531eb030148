using System.Collections;
using System.Collections.Generic;

namespace CometGemini;

/// <summary>
/// What -SafetySetting binds: a hashtable from harm category to threshold, as written (any key, the API adds categories).
/// </summary>
/// <remarks>
/// A class rather than Hashtable so that pwsh completes the categories as keys (`-SafetySetting @{ &lt;Tab&gt;`): it offers
/// the settable properties of a parameter's type that has a parameterless constructor. A hashtable still binds through
/// the IDictionary constructor, which keeps every key, not only the properties'.
/// </remarks>
public sealed class SafetySettingTable
{
    private readonly List<KeyValuePair<string, object?>> _entries = new();

    public SafetySettingTable()
    {
    }

    public SafetySettingTable(IDictionary settings)
    {
        foreach (DictionaryEntry entry in settings)
            Set(entry.Key?.ToString() ?? string.Empty, entry.Value);
    }

    public object? Harassment { get => Get(nameof(Harassment)); set => Set(nameof(Harassment), value); }
    public object? HateSpeech { get => Get(nameof(HateSpeech)); set => Set(nameof(HateSpeech), value); }
    public object? SexuallyExplicit { get => Get(nameof(SexuallyExplicit)); set => Set(nameof(SexuallyExplicit), value); }
    public object? DangerousContent { get => Get(nameof(DangerousContent)); set => Set(nameof(DangerousContent), value); }
    public object? CivicIntegrity { get => Get(nameof(CivicIntegrity)); set => Set(nameof(CivicIntegrity), value); }

    /// <summary>Category and threshold as the user wrote them, in order.</summary>
    internal IReadOnlyList<KeyValuePair<string, object?>> Entries => _entries;

    public override string ToString() => string.Join("; ", _entries.ConvertAll(e => $"{e.Key} = {e.Value}"));

    private object? Get(string category) => _entries.Find(e => e.Key == category).Value;

    private void Set(string category, object? threshold)
    {
        _entries.RemoveAll(e => e.Key == category);
        _entries.Add(new KeyValuePair<string, object?>(category, threshold));
    }
}
