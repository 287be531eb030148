using System;
using System.Collections.Generic;
using System.Linq;

namespace FakeGemini;

/// <summary>The context caches (cachedContents) one fake server holds; tests may seed and inspect them.</summary>
public sealed class FakeCacheStore
{
    private readonly object _gate = new();
    private readonly List<FakeCache> _caches = new();

    /// <summary>Page size of a list call that gives no pageSize (small, so that paging is exercised).</summary>
    public int DefaultPageSize { get; set; } = 10;

    /// <summary>The caches not yet expired, oldest first.</summary>
    public IReadOnlyList<FakeCache> Snapshot()
    {
        lock (_gate)
        {
            Purge();
            return _caches.ToArray();
        }
    }

    /// <summary>Adds a cache as if created now; its name is generated unless given.</summary>
    public FakeCache Add(string model, int totalTokenCount, TimeSpan? ttl = null, string? displayName = null, string? name = null)
    {
        DateTime now = DateTime.UtcNow;
        var cache = new FakeCache(
            name ?? "cachedContents/" + NewId(),
            model.StartsWith("models/", StringComparison.Ordinal) ? model : "models/" + model,
            displayName ?? "",
            now,
            totalTokenCount)
        {
            UpdateTime = now,
            ExpireTime = now + (ttl ?? TimeSpan.FromHours(1)),
        };
        lock (_gate)
            _caches.Add(cache);
        return cache;
    }

    public FakeCache? Find(string name)
    {
        lock (_gate)
        {
            Purge();
            return _caches.FirstOrDefault(c => c.Name == name);
        }
    }

    public bool Remove(string name)
    {
        lock (_gate)
        {
            Purge();
            return _caches.RemoveAll(c => c.Name == name) > 0;
        }
    }

    public void Update(FakeCache cache, DateTime expireTime)
    {
        lock (_gate)
        {
            cache.ExpireTime = expireTime;
            cache.UpdateTime = DateTime.UtcNow;
        }
    }

    private void Purge() => _caches.RemoveAll(c => c.ExpireTime <= DateTime.UtcNow);

    private static string NewId()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        return new string(Enumerable.Range(0, 12).Select(_ => alphabet[Random.Shared.Next(alphabet.Length)]).ToArray());
    }
}

public sealed record FakeCache(string Name, string Model, string DisplayName, DateTime CreateTime, int TotalTokenCount)
{
    public DateTime UpdateTime { get; set; }
    public DateTime ExpireTime { get; set; }
}
