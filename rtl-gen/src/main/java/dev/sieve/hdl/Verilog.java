package dev.sieve.hdl;

import java.util.Set;

/** Verilog-2005 lexical rules the HDL layer enforces on names. */
final class Verilog {
    private Verilog() {
    }

    private static final Set<String> KEYWORDS = Set.of(
            "always", "and", "assign", "automatic", "begin", "buf", "bufif0", "bufif1", "case", "casex", "casez",
            "cell", "cmos", "config", "deassign", "default", "defparam", "design", "disable", "edge", "else", "end",
            "endcase", "endconfig", "endfunction", "endgenerate", "endmodule", "endprimitive", "endspecify",
            "endtable", "endtask", "event", "for", "force", "forever", "fork", "function", "generate", "genvar",
            "highz0", "highz1", "if", "ifnone", "incdir", "include", "initial", "inout", "input", "instance",
            "integer", "join", "large", "liblist", "library", "localparam", "macromodule", "medium", "module",
            "nand", "negedge", "nmos", "nor", "noshowcancelled", "not", "notif0", "notif1", "or", "output",
            "parameter", "pmos", "posedge", "primitive", "pull0", "pull1", "pulldown", "pullup",
            "pulsestyle_onevent", "pulsestyle_ondetect", "rcmos", "real", "realtime", "reg", "release", "repeat",
            "rnmos", "rpmos", "rtran", "rtranif0", "rtranif1", "scalared", "showcancelled", "signed", "small",
            "specify", "specparam", "strong0", "strong1", "supply0", "supply1", "table", "task", "time", "tran",
            "tranif0", "tranif1", "tri", "tri0", "tri1", "triand", "trior", "trireg", "unsigned", "use", "uwire",
            "vectored", "wait", "wand", "weak0", "weak1", "while", "wire", "wor", "xnor", "xor",
            // SystemVerilog words Verilator reserves even in Verilog mode files, kept out to stay portable
            "bit", "logic", "byte", "int", "class", "interface", "package", "import", "export", "string", "type");

    static boolean isKeyword(String name) {
        return KEYWORDS.contains(name);
    }

    /** Names given by users start with a letter; a leading underscore is reserved for generated names. */
    static void checkIdentifier(String name, Site site) {
        if (!name.matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw new HdlException("name '" + name + "' is not allowed: use letters, digits and underscores, "
                    + "starting with a letter, at " + site);
        }
        if (isKeyword(name)) {
            throw new HdlException("name '" + name + "' is a Verilog keyword, at " + site);
        }
    }
}
