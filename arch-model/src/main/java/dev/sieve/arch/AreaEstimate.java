package dev.sieve.arch;

import java.util.List;

/**
 * An ASIC area <b>estimate</b> of one configuration: the components its record names, each a count
 * of identical units of an {@link AreaTable} area, at the table's node. It is a sum of sourced unit
 * areas, not a synthesis result: whatever {@link #notCovered} lists is not in it.
 *
 * @param family     the family name
 * @param nodeNm     the node of the table used
 * @param components the counted components, in report order
 * @param notCovered what the record does not describe and the estimate leaves out, in words
 */
public record AreaEstimate(String family, double nodeNm, List<Component> components, List<String> notCovered) {

    public AreaEstimate {
        components = List.copyOf(components);
        notCovered = List.copyOf(notCovered);
    }

    /**
     * One component: {@code count} units of {@code unitUm2} each. For an SRAM, {@code floorUnitUm2}
     * is the cells alone ({@link AreaTable#sramCellsUm2}); for logic it equals {@code unitUm2}.
     *
     * @param name         what it is ({@code qk_multipliers})
     * @param count        how many units
     * @param unitUm2      area of one unit in µm²
     * @param floorUnitUm2 area of one unit without periphery (SRAM: cells only) in µm²
     * @param sram         whether it is memory (SRAM) rather than logic
     * @param derivation   how the unit area is built from table entries, in words
     */
    public record Component(String name, long count, double unitUm2, double floorUnitUm2, boolean sram,
                            String derivation) {

        /** A logic component: {@code count} x {@code unitUm2}. */
        public static Component logic(String name, long count, double unitUm2, String derivation) {
            return new Component(name, count, unitUm2, unitUm2, false, derivation);
        }

        /** An SRAM of {@code count} x {@code bytes}, with its periphery and as cells only. */
        public static Component sram(String name, long count, long bytes, AreaTable t, String derivation) {
            return new Component(name, count, t.sramUm2(bytes), t.sramCellsUm2(bytes), true, derivation);
        }

        /** Area of all units in mm². */
        public double mm2() {
            return count * unitUm2 / 1e6;
        }

        /** Area of all units without SRAM periphery, in mm². */
        public double floorMm2() {
            return count * floorUnitUm2 / 1e6;
        }
    }

    /** The estimate: the sum of every component, in mm². */
    public double totalMm2() {
        return components.stream().mapToDouble(Component::mm2).sum();
    }

    /** The SRAM components' share, in mm². */
    public double sramMm2() {
        return components.stream().filter(Component::sram).mapToDouble(Component::mm2).sum();
    }

    /** The logic components' share, in mm². */
    public double logicMm2() {
        return components.stream().filter(c -> !c.sram()).mapToDouble(Component::mm2).sum();
    }

    /** The total with every SRAM at its cells alone: no configuration of these units is smaller. */
    public double floorMm2() {
        return components.stream().mapToDouble(Component::floorMm2).sum();
    }
}
