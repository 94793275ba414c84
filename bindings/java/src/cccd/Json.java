package cccd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON without a dependency: a small strict parser to Map / List / String / Double / Boolean /
 * null, and the writer of requests. */
final class Json {
    private final String s;
    private int i;

    private Json(String s) {
        this.s = s;
    }

    static Object parse(String json) {
        Json p = new Json(json);
        Object v = p.value();
        p.space();
        if (p.i != json.length()) throw new IllegalArgumentException("trailing characters in JSON at " + p.i);
        return v;
    }

    private void space() {
        while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) i++;
    }

    private void expect(char c) {
        if (i >= s.length() || s.charAt(i) != c) throw new IllegalArgumentException("expected '" + c + "' in JSON at " + i);
        i++;
    }

    private boolean literal(String word) {
        if (!s.startsWith(word, i)) return false;
        i += word.length();
        return true;
    }

    private Object value() {
        space();
        if (i >= s.length()) throw new IllegalArgumentException("unexpected end of JSON");
        char c = s.charAt(i);
        if (c == '{') {
            Map<String, Object> obj = new LinkedHashMap<>();
            i++;
            space();
            if (i < s.length() && s.charAt(i) == '}') { i++; return obj; }
            while (true) {
                space();
                String key = string();
                space();
                expect(':');
                obj.put(key, value());
                space();
                if (i < s.length() && s.charAt(i) == ',') { i++; continue; }
                expect('}');
                return obj;
            }
        }
        if (c == '[') {
            List<Object> list = new ArrayList<>();
            i++;
            space();
            if (i < s.length() && s.charAt(i) == ']') { i++; return list; }
            while (true) {
                list.add(value());
                space();
                if (i < s.length() && s.charAt(i) == ',') { i++; continue; }
                expect(']');
                return list;
            }
        }
        if (c == '"') return string();
        if (literal("true")) return Boolean.TRUE;
        if (literal("false")) return Boolean.FALSE;
        if (literal("null")) return null;
        int start = i;
        while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
        try {
            return Double.parseDouble(s.substring(start, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad JSON value at " + start);
        }
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (i >= s.length()) throw new IllegalArgumentException("unterminated JSON string");
            char c = s.charAt(i++);
            if (c == '"') return sb.toString();
            if (c != '\\') { sb.append(c); continue; }
            if (i >= s.length()) throw new IllegalArgumentException("unterminated JSON escape");
            char e = s.charAt(i++);
            switch (e) {
                case 'n': sb.append('\n'); break;
                case 't': sb.append('\t'); break;
                case 'r': sb.append('\r'); break;
                case 'b': sb.append('\b'); break;
                case 'f': sb.append('\f'); break;
                case 'u':
                    if (i + 4 > s.length()) throw new IllegalArgumentException("short \\u escape");
                    sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 4;
                    break;
                default: sb.append(e); // " \ /
            }
        }
    }

    static void member(StringBuilder json, String name, String value) {
        quote(json, name);
        json.append(':');
        quote(json, value);
        json.append(',');
    }

    static void member(StringBuilder json, String name, Iterable<String> values) {
        quote(json, name);
        json.append(":[");
        boolean first = true;
        for (String v : values) {
            if (!first) json.append(',');
            quote(json, v);
            first = false;
        }
        json.append("],");
    }

    static void quote(StringBuilder json, String s) {
        json.append('"');
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') json.append('\\').append(c);
            else if (c < 0x20) json.append(String.format("\\u%04x", (int) c));
            else json.append(c);
        }
        json.append('"');
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Map<String, Object> o, String name) {
        Object v = o == null ? null : o.get(name);
        return v instanceof Map ? (Map<String, Object>) v : null;
    }

    static String str(Map<String, Object> o, String name) {
        Object v = o == null ? null : o.get(name);
        return v instanceof String ? (String) v : null;
    }

    static boolean bool(Map<String, Object> o, String name) {
        return o != null && Boolean.TRUE.equals(o.get(name));
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> o, String name) {
        Object v = o == null ? null : o.get(name);
        return v instanceof List ? (List<Object>) v : new ArrayList<>();
    }
}
