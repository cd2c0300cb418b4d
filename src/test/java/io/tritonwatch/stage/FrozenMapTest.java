package io.tritonwatch.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The compact figure map reads like the ordered map it was made from, and cannot change. */
class FrozenMapTest {

  @Test
  void sameEntriesSameOrderImmutable() {
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("weightsGiB", 2.3185);
    source.put("gpuBlocks", 22251L);
    source.put("gpuName", "NVIDIA A10G");
    source.put("aFirstByNameButLast", 1);
    Map<String, Object> frozen = FrozenMap.copyOf(source);
    assertEquals(source, frozen);
    assertEquals(frozen, source);
    assertEquals(source.hashCode(), frozen.hashCode());
    assertEquals(new ArrayList<>(source.keySet()), new ArrayList<>(frozen.keySet()));
    assertEquals(List.copyOf(source.values()), List.copyOf(frozen.values()));
    assertEquals(22251L, frozen.get("gpuBlocks"));
    assertNull(frozen.get("missing"));
    assertTrue(frozen.containsKey("gpuName"));
    assertFalse(frozen.containsKey("missing"));
    assertThrows(UnsupportedOperationException.class, () -> frozen.put("x", 1));
    assertThrows(UnsupportedOperationException.class, () -> frozen.entrySet().iterator().next().setValue(3));
    source.put("later", 1);
    assertEquals(4, frozen.size(), "a copy, not a view");
    assertTrue(FrozenMap.copyOf(Map.of()).isEmpty());
  }
}
