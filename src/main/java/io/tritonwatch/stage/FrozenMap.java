package io.tritonwatch.stage;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable map in insertion order, held as two arrays. A log of thousands of start-ups
 * keeps every start-up's figures; as linked hash maps they were the larger part of what
 * `analyze` held, as arrays a small part.
 */
final class FrozenMap<V> extends AbstractMap<String, V> {

  private final String[] keys;
  private final Object[] values;

  private FrozenMap(String[] keys, Object[] values) {
    this.keys = keys;
    this.values = values;
  }

  static <V> Map<String, V> copyOf(Map<String, ? extends V> m) {
    if (m.isEmpty()) {
      return Map.of();
    }
    String[] k = new String[m.size()];
    Object[] v = new Object[m.size()];
    int i = 0;
    for (Map.Entry<String, ? extends V> e : m.entrySet()) {
      k[i] = e.getKey();
      v[i] = e.getValue();
      i++;
    }
    return new FrozenMap<>(k, v);
  }

  @Override
  public int size() {
    return keys.length;
  }

  @Override
  @SuppressWarnings("unchecked")
  public V get(Object key) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i].equals(key)) {
        return (V) values[i];
      }
    }
    return null;
  }

  @Override
  public boolean containsKey(Object key) {
    for (String k : keys) {
      if (k.equals(key)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Set<Map.Entry<String, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return keys.length;
      }

      @Override
      public Iterator<Map.Entry<String, V>> iterator() {
        return new Iterator<>() {
          private int i;

          @Override
          public boolean hasNext() {
            return i < keys.length;
          }

          @Override
          @SuppressWarnings("unchecked")
          public Map.Entry<String, V> next() {
            if (i >= keys.length) {
              throw new NoSuchElementException();
            }
            Map.Entry<String, V> e = new AbstractMap.SimpleImmutableEntry<>(keys[i], (V) values[i]);
            i++;
            return e;
          }
        };
      }
    };
  }
}
