package dev.jrun.spec.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Absent lists and maps become empty, present ones become unmodifiable copies, so records never expose nulls or mutability. */
final class Immutables {
    private Immutables() {}

    static <T> List<T> list(List<T> in) {
        return in == null ? List.of() : Collections.unmodifiableList(new java.util.ArrayList<>(in));
    }

    /** Keeps the document's key order (LinkedHashMap), which Map.copyOf would lose. */
    static <K, V> Map<K, V> map(Map<K, V> in) {
        return in == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(in));
    }
}
