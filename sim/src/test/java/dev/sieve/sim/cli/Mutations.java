package dev.sieve.sim.cli;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seeded mutations of a valid input file, as a fuzzer of Sieve's readers applies them. Some keep the
 * meaning of the file (a byte-order mark, CRLF line ends, an extra blank line at the end): a command
 * must accept those and produce the same result. The others may break it anywhere.
 */
final class Mutations {
    private Mutations() {
    }

    enum Kind {
        BOM(true), CRLF(true), TRAILING_BLANK_LINE(true),
        TRUNCATE(false), FLIP_BYTE(false), HUGE_NUMBER(false), DUPLICATE_LINE(false), DELETE_COLUMN(false),
        DELETE_LINE(false), INVALID_UTF8(false), EMPTY(false), SWAP_LINES(false), NEGATIVE_NUMBER(false);

        /** True when the mutated file means the same as the original. */
        final boolean neutral;

        Kind(boolean neutral) {
            this.neutral = neutral;
        }
    }

    private static final String[] HUGE = {"1000000000", "2147483648", "99999999999999999999", "9223372036854775807",
        "1e309", "16777217", "4294967296"};
    private static final Pattern NUMBER = Pattern.compile("(?<![A-Za-z_0-9.])[0-9]+(\\.[0-9]+)?");

    /** {@code original} mutated by {@code kind}, choices drawn from {@code rnd}. */
    static byte[] apply(Kind kind, byte[] original, Random rnd) {
        String text = new String(original, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        int at = lines.isEmpty() ? 0 : rnd.nextInt(lines.size());
        switch (kind) {
            case BOM -> {
                return concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, original);
            }
            case CRLF -> {
                return text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
            }
            case TRAILING_BLANK_LINE -> {
                return (text + "\n").getBytes(StandardCharsets.UTF_8);
            }
            case TRUNCATE -> {
                return java.util.Arrays.copyOf(original, rnd.nextInt(Math.max(1, original.length)));
            }
            case FLIP_BYTE -> {
                byte[] b = original.clone();
                int i = rnd.nextInt(b.length);
                b[i] = (byte) (b[i] ^ (1 + rnd.nextInt(255)));
                return b;
            }
            case HUGE_NUMBER, NEGATIVE_NUMBER -> {
                List<int[]> spots = new ArrayList<>();
                Matcher m = NUMBER.matcher(text);
                while (m.find()) {
                    spots.add(new int[] {m.start(), m.end()});
                }
                if (spots.isEmpty()) {
                    return original;
                }
                int[] s = spots.get(rnd.nextInt(spots.size()));
                String with = kind == Kind.HUGE_NUMBER ? HUGE[rnd.nextInt(HUGE.length)] : "-" + text.substring(s[0], s[1]);
                return (text.substring(0, s[0]) + with + text.substring(s[1])).getBytes(StandardCharsets.UTF_8);
            }
            case DUPLICATE_LINE -> lines.add(at, lines.get(at));
            case DELETE_LINE -> lines.remove(at);
            case SWAP_LINES -> {
                int other = rnd.nextInt(lines.size());
                String t = lines.get(at);
                lines.set(at, lines.get(other));
                lines.set(other, t);
            }
            case DELETE_COLUMN -> {
                String l = lines.get(at);
                String[] cells = l.split(",", -1);
                if (cells.length > 1) {
                    int c = rnd.nextInt(cells.length);
                    List<String> kept = new ArrayList<>(List.of(cells));
                    kept.remove(c);
                    lines.set(at, String.join(",", kept));
                } else {
                    lines.set(at, l.substring(0, l.length() / 2));
                }
            }
            case INVALID_UTF8 -> {
                byte[] bad = {(byte) 0xFF, (byte) 0xC3, (byte) 0x28, (byte) 0xE2, (byte) 0x82};
                int i = rnd.nextInt(original.length + 1);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(original, 0, i);
                out.write(bad[rnd.nextInt(bad.length)]);
                out.write(original, i, original.length - i);
                return out.toByteArray();
            }
            case EMPTY -> {
                return new byte[0];
            }
            default -> throw new IllegalStateException(kind.toString());
        }
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
