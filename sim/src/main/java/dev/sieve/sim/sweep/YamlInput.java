package dev.sieve.sim.sweep;

import dev.sieve.io.InputException;
import dev.sieve.io.InputFiles;
import dev.sieve.io.UniqueKeys;
import java.nio.file.Path;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a YAML input into SnakeYAML's node tree through {@link InputFiles} (strict UTF-8, optional
 * byte-order mark, LF or CRLF, {@code #} comments and blank lines as YAML allows), with Sieve's one
 * duplicate-key rule ({@link UniqueKeys}) applied to every mapping, and every syntax error an
 * {@link InputException} on the line where the problem starts (an unterminated quote is reported
 * where it opens, not at the end of the file).
 */
public final class YamlInput {
    private YamlInput() {
    }

    /** The document of {@code file}, or null when it holds none. */
    public static Node compose(Path file) {
        String text = InputFiles.readText(file);
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new java.io.StringReader(text));
        } catch (MarkedYAMLException e) {
            throw new InputException(file, line(e), null, "malformed YAML: " + problem(e));
        } catch (YAMLException e) {
            throw new InputException(file, 0, null, "malformed YAML: " + e.getMessage());
        }
        if (root != null) {
            checkKeys(file, root, null);
        }
        return root;
    }

    /** 1-based line of a node. */
    public static int line(Node n) {
        return n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
    }

    private static void checkKeys(Path file, Node node, String scope) {
        if (node instanceof MappingNode m) {
            UniqueKeys keys = new UniqueKeys(file, scope, false);
            for (NodeTuple t : m.getValue()) {
                String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
                if (key != null) {
                    keys.add(key, line(t.getKeyNode()));
                }
                checkKeys(file, t.getValueNode(), key == null ? scope : scope == null ? key : scope + "." + key);
            }
        } else if (node instanceof SequenceNode s) {
            for (Node item : s.getValue()) {
                checkKeys(file, item, scope);
            }
        }
    }

    /**
     * The line to report: where the problem is, except for a construct the file ends inside (a
     * quote never closed): then where that construct opened.
     */
    private static int line(MarkedYAMLException e) {
        Mark problem = e.getProblemMark();
        Mark context = e.getContextMark();
        boolean atEnd = e.getProblem() != null && e.getProblem().contains("end of stream");
        Mark m = atEnd && context != null ? context : problem != null ? problem : context;
        return m == null ? 0 : m.getLine() + 1;
    }

    private static String problem(MarkedYAMLException e) {
        String p = e.getProblem() == null ? "syntax error" : e.getProblem();
        if (e.getContext() != null && p.contains("end of stream")) {
            return p + " " + e.getContext() + " that starts on this line (is a quote or bracket left open?)";
        }
        return p;
    }
}
