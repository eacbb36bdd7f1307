package dev.sieve.arch;

import dev.sieve.arch.AreaTable.Entry;
import dev.sieve.io.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every entry against its source and derivation, the node-squared rule, the derived units, the override file. */
class AreaTableTest {

    @TempDir
    Path tmp;

    @Test
    void entriesAreTheirSourcesNumbers() {
        AreaTable t = AreaTable.defaults();
        // Aladdin common/power_func.h, commercial 40 nm, 1 ns points, um^2
        assertEquals(2.779792e+02, t.um2(Entry.INT32_ADD), 0, "ADD_1ns_area");
        assertEquals(6.351338e+03, t.um2(Entry.INT32_MULT), 0, "MUL_1ns_area");
        assertEquals(4.361094e+03, t.um2(Entry.FP32_ADD), 0, "FP_SP_3STAGE_ADD_1ns_area");
        assertEquals(8.967113e+03, t.um2(Entry.FP32_MULT), 0, "FP_SP_3STAGE_MUL_1ns_area");
        assertEquals(5.981433e+00, t.um2(Entry.REGISTER_BIT), 0, "REG_1ns_area");
        assertEquals(71, t.um2(Entry.INT32_COMPARE), 0, "hwcomponents-library AladdinComparator, 32 bits");
        for (Entry e : new Entry[] {Entry.INT32_ADD, Entry.INT32_MULT, Entry.FP32_ADD, Entry.FP32_MULT,
                Entry.REGISTER_BIT, Entry.INT32_COMPARE}) {
            assertEquals(40, e.nodeNm(), e.key());
        }
    }

    @Test
    void sramEntriesFollowTheirDerivation() {
        AreaTable t = AreaTable.defaults();
        // CACTI: 146 F^2 at F = 0.040 um
        assertEquals(0.2336, t.um2(Entry.SRAM_CELL), 1e-12);
        // CACTI at 45 nm, 128 KiB (16384 x 64 bit) in 32 banks: 1,162,549 um^2 / 1,048,576 bit
        assertEquals(1.1086931, t.um2(Entry.SRAM), 1e-6);
        assertEquals(45, Entry.SRAM.nodeNm());
        // at one node: 146 x 0.045^2 = 0.29565 um^2 of cell in 1.1087 um^2 of macro = 26.67 %
        AreaTable at45 = AreaTable.at(45);
        assertEquals(0.29565, at45.um2(Entry.SRAM_CELL), 1e-12);
        assertEquals(0.29565 / 1.1086931, at45.sramArrayEfficiency(), 1e-6);
        assertEquals(0.2667, AreaTable.at(40).sramArrayEfficiency(), 1e-4, "the ratio does not depend on the node");
    }

    @Test
    void scalingIsNodeSquared() {
        AreaTable t40 = AreaTable.at(40);
        assertEquals(40, t40.nodeNm());
        assertEquals(6351.338, t40.um2(Entry.INT32_MULT), 1e-9, "a 40 nm source at 40 nm is unchanged");
        assertEquals(1.1086931 * (40.0 / 45) * (40.0 / 45), t40.um2(Entry.SRAM), 1e-6, "45 -> 40 nm: x 0.790");
        assertEquals(0.790123, AreaTable.factor(45, 40), 1e-6);
        AreaTable t65 = AreaTable.at(65);
        assertEquals(277.9792 * 65 * 65 / (40 * 40), t65.um2(Entry.INT32_ADD), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> AreaTable.at(0));
    }

    @Test
    void derivedUnitsFollowTheirRules() {
        AreaTable t = AreaTable.at(40);
        assertEquals(6351.338 * 9 / 64, t.intMultiplierUm2(12), 1e-9, "(12/32)^2 = 9/64: 893.16 um^2");
        assertEquals(6351.338 / 16, t.intMultiplierUm2(8), 1e-9, "(8/32)^2");
        assertEquals(277.9792 / 2, t.intAdderUm2(16), 1e-9, "linear in width");
        assertEquals(71.0 * 12 / 32, t.comparatorUm2(12), 1e-12, "26.625 um^2");
        assertEquals(8967.113 / 4, t.fpMultiplierUm2(16), 1e-9, "BF16: (16/32)^2");
        assertEquals(5.981433 * 40, t.registerUm2(40), 1e-9);
        assertEquals(196 * 1024 * 8 * t.um2(Entry.SRAM), t.sramUm2(196 * 1024), 1e-6);
        assertEquals(196 * 1024 * 8 * 0.2336, t.sramCellsUm2(196 * 1024), 1e-6);
    }

    @Test
    void aFileOverridesTheEntriesItNames() throws Exception {
        Path f = tmp.resolve("a.txt");
        Files.writeString(f, "# my process\nsram_um2_per_bit = 0.5  # a denser compiler\nint32_add_um2=200\n");
        Map<Entry, Double> o = AreaTable.read(f);
        assertEquals(Map.of(Entry.SRAM, 0.5, Entry.INT32_ADD, 200.0), o);
        AreaTable t = AreaTable.at(40).with(o);
        assertEquals(0.5, t.um2(Entry.SRAM), 0);
        assertEquals(6351.338, t.um2(Entry.INT32_MULT), 1e-9, "not named: the default");
        assertEquals(40, t.nodeNm());
    }

    @Test
    void badFilesNameFileLineAndKey() throws Exception {
        Path f = tmp.resolve("bad.txt");
        Files.writeString(f, "sram_um2_per_bit = 0.5\nsram_um2 = 3\n");
        InputException e = assertThrows(InputException.class, () -> AreaTable.read(f));
        assertEquals(f + ":2: sram_um2: unknown key; allowed: int32_add_um2, int32_mult_um2, fp32_add_um2, "
                + "fp32_mult_um2, register_um2_per_bit, int32_compare_um2, sram_cell_um2_per_bit, sram_um2_per_bit",
                e.getMessage());
        Files.writeString(f, "int32_add_um2 = NaN\n");
        assertEquals(f + ":1: int32_add_um2: value 'NaN' is not allowed; allowed a finite number >= 0 (um^2)",
                assertThrows(InputException.class, () -> AreaTable.read(f)).getMessage());
        Files.writeString(f, "int32_add_um2 = 1\nint32_add_um2 = 2\n");
        assertEquals(f + ":2: int32_add_um2: is given twice",
                assertThrows(InputException.class, () -> AreaTable.read(f)).getMessage());
    }
}
