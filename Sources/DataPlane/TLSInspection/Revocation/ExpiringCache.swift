import Foundation

/// A bounded map whose entries expire: a lookup past an entry's expiry misses, and inserting into a
/// full map first drops the expired entries, then the eighth that would expire soonest, so a burst of
/// distinct certificates costs one sort per eighth of the capacity rather than one per insertion.
struct ExpiringCache<Key: Hashable, Value> {
    private var entries: [Key: (value: Value, expires: Date)] = [:]
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var count: Int { entries.count }

    func value(for key: Key, now: Date) -> Value? {
        guard let entry = entries[key], entry.expires > now else { return nil }
        return entry.value
    }

    mutating func insert(_ value: Value, for key: Key, expires: Date, now: Date) {
        if entries[key] == nil, entries.count >= capacity { makeRoom(now: now) }
        entries[key] = (value, expires)
    }

    private mutating func makeRoom(now: Date) {
        entries = entries.filter { $0.value.expires > now }
        guard entries.count >= capacity else { return }
        let soonest = entries.sorted { $0.value.expires < $1.value.expires }.prefix(max(1, capacity / 8))
        for (key, _) in soonest { entries[key] = nil }
    }
}
