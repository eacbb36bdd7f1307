package dev.sieve.hdl;

/**
 * The line of generator code that built an IR node or statement, for error messages. Frames
 * inside the HDL layer itself are skipped so the site points at the caller's code.
 */
public record Site(String file, int line, String method) {

    static final Site UNKNOWN = new Site("?", 0, "?");

    /** The first stack frame outside the HDL layer's own classes. */
    public static Site caller() {
        return StackWalker.getInstance().walk(frames -> frames
                .filter(f -> !isFramework(f.getClassName()))
                .findFirst()
                .map(f -> new Site(f.getFileName() == null ? "?" : f.getFileName(), f.getLineNumber(),
                        simpleName(f.getClassName()) + "." + f.getMethodName()))
                .orElse(UNKNOWN));
    }

    private static boolean isFramework(String className) {
        if (!className.startsWith("dev.sieve.hdl.")) {
            return false;
        }
        String top = className.contains("$") ? className.substring(0, className.indexOf('$')) : className;
        return !top.endsWith("Test");
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    @Override
    public String toString() {
        return file + ":" + line;
    }
}
