/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-json.c - strict parser, RFC 8785 canonical writer, pretty writer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "err.h"
#include "json.h"

/* Canonical form of len bytes of input; fails the test if it does not parse. */
static char *canon_n(const char *in, size_t len)
{
	struct ccctl_json *v = NULL;
	struct ccctl_buf b;
	int ret;

	ccctl_buf_init(&b);
	ret = ccctl_json_parse(&v, in, len);
	if (ret != 0)
		print_error("unexpected parse error: %s\n", ccctl_err_msg());
	assert_int_equal(ret, 0);
	assert_int_equal(ccctl_json_write_canonical(&b, v), 0);
	ccctl_json_free(v);
	return ccctl_buf_steal(&b, NULL);
}

static char *canon(const char *in)
{
	return canon_n(in, strlen(in));
}

static void assert_canon(const char *in, const char *expected)
{
	char *out = canon(in);

	assert_string_equal(out, expected);
	free(out);
}

/* The input must be rejected with CCCTL_EINVAL and a message containing msg. */
static void assert_reject_n(const char *in, size_t len, const char *msg)
{
	struct ccctl_json *v = NULL;
	int ret = ccctl_json_parse(&v, in, len);

	assert_int_equal(ret, CCCTL_EINVAL);
	assert_null(v);
	assert_int_equal(ccctl_err_code(), CCCTL_EINVAL);
	if (!strstr(ccctl_err_msg(), msg))
		fail_msg("message \"%s\" does not contain \"%s\"", ccctl_err_msg(), msg);
}

static void assert_reject(const char *in, const char *msg)
{
	assert_reject_n(in, strlen(in), msg);
}

/* RFC 8785 section 3.2.2.2: the string serialisation example. */
static void test_rfc8785_string_escapes(void **state)
{
	assert_canon("\"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\"",
		     "\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"");
}

/* RFC 8785 section 3.2.3: property sorting by UTF-16 code units. */
static void test_rfc8785_key_sorting(void **state)
{
	assert_canon("{\n"
		     "  \"\\u20ac\": \"Euro Sign\",\n"
		     "  \"\\r\": \"Carriage Return\",\n"
		     "  \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\",\n"
		     "  \"1\": \"One\",\n"
		     "  \"\\ud83d\\ude00\": \"Emoji: Grinning Face\",\n"
		     "  \"\\u0080\": \"Control\",\n"
		     "  \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"\n"
		     "}",
		     "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\","
		     "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\","
		     "\"\xe2\x82\xac\":\"Euro Sign\",\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\","
		     "\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}");
}

/* UTF-16 order differs from code point order above U+E000. */
static void test_utf16_order(void **state)
{
	/* U+10000 (D800 DC00) sorts before U+E000 and U+FFFF. */
	assert_canon("{\"\\uffff\":1,\"\\ue000\":2,\"\\ud800\\udc00\":3}",
		     "{\"\xf0\x90\x80\x80\":3,\"\xee\x80\x80\":2,\"\xef\xbf\xbf\":1}");
	/* A prefix sorts first; comparison is not by length. */
	assert_canon("{\"ab\":1,\"b\":2,\"a\":3,\"\":4}", "{\"\":4,\"a\":3,\"ab\":1,\"b\":2}");
	/* Two supplementary characters: by low surrogate. */
	assert_canon("{\"\\ud83d\\ude01\":1,\"\\ud83d\\ude00\":2,\"\\ud83c\\udfff\":3}",
		     "{\"\xf0\x9f\x8f\xbf\":3,\"\xf0\x9f\x98\x80\":2,\"\xf0\x9f\x98\x81\":1}");
	/* Sorting applies at every level, arrays keep their order. */
	assert_canon("[{\"b\":{\"z\":1,\"y\":2},\"a\":[3,1,2]}]",
		     "[{\"a\":[3,1,2],\"b\":{\"y\":2,\"z\":1}}]");
}

/* Every control character: the short escapes, else \u00xx in lowercase. */
static void test_control_escapes(void **state)
{
	static const char *const want[32] = {
	    "\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005", "\\u0006", "\\u0007",
	    "\\b",     "\\t",	  "\\n",     "\\u000b", "\\f",	   "\\r",     "\\u000e", "\\u000f",
	    "\\u0010", "\\u0011", "\\u0012", "\\u0013", "\\u0014", "\\u0015", "\\u0016", "\\u0017",
	    "\\u0018", "\\u0019", "\\u001a", "\\u001b", "\\u001c", "\\u001d", "\\u001e", "\\u001f",
	};
	char in[16], expected[16];
	unsigned c;

	for (c = 0; c < 32; c++) {
		char *out;

		snprintf(in, sizeof(in), "\"\\u%04X\"", c);
		snprintf(expected, sizeof(expected), "\"%s\"", want[c]);
		out = canon(in);
		assert_string_equal(out, expected);
		free(out);
	}
	/* DEL, slash, U+2028 and non-ASCII stay literal. */
	assert_canon("\"\\u007f\\/\\u2028\\u00e9\"", "\"\x7f/\xe2\x80\xa8\xc3\xa9\"");
}

static void test_roundtrip_canonical(void **state)
{
	static const char *const docs[] = {
	    "null",
	    "true",
	    "false",
	    "0",
	    "-1",
	    "9007199254740991",
	    "-9007199254740991",
	    "\"\"",
	    "[]",
	    "{}",
	    "[[],{},[[]],{\"\":{}}]",
	    "{\"a\":[1,\"two\",true,false,null],\"b\":{\"c\":\"\\u0000\\u001f\\\"\\\\\"}}",
	    "\"\xf0\x9f\x98\x80\xe2\x82\xac\xc3\xb6\x7f\"",
	};
	size_t i;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		char *once = canon(docs[i]);
		char *twice = canon(once);

		assert_string_equal(once, docs[i]);
		assert_string_equal(twice, docs[i]);
		free(once);
		free(twice);
	}
	assert_canon("{\"version\":1,\"name\":\"hospital-psi\",\"limits\":{\"fuel\":20000000000}}",
		     "{\"limits\":{\"fuel\":20000000000},\"name\":\"hospital-psi\",\"version\":1}");
}

static void test_whitespace_and_escapes_normalised(void **state)
{
	assert_canon(" \t\r\n{ \"a\" : [ 1 , 2 ] , \"b\" : \"\\u0041\\/\" } \n",
		     "{\"a\":[1,2],\"b\":\"A/\"}");
	/* Uppercase hex digits in escapes are accepted. */
	assert_canon("\"\\u00E9\\uD83D\\uDE00\"", "\"\xc3\xa9\xf0\x9f\x98\x80\"");
}

static void test_duplicate_keys(void **state)
{
	assert_reject("{\"a\":1,\"b\":2,\"a\":3}", "duplicate key \"a\" at offset 13");
	/* Same key after unescaping. */
	assert_reject("{\"a\":1,\"\\u0061\":2}", "duplicate key \"a\" at offset 7");
	/* The earliest second occurrence is reported. */
	assert_reject("{\"z\":1,\"y\":2,\"y\":3,\"z\":4}", "duplicate key \"y\" at offset 13");
	assert_reject("{\"x\":{\"k\":1,\"k\":1}}", "duplicate key \"k\"");
	/* Same key in different objects is fine. */
	assert_canon("{\"a\":{\"a\":{\"a\":1}},\"b\":[{\"a\":1},{\"a\":2}]}",
		     "{\"a\":{\"a\":{\"a\":1}},\"b\":[{\"a\":1},{\"a\":2}]}");
	/* Keys that differ only in length or by a prefix are distinct. */
	assert_canon("{\"a\":1,\"aa\":2,\"\":3}", "{\"\":3,\"a\":1,\"aa\":2}");
}

static void test_many_keys(void **state)
{
	struct ccctl_buf b;
	struct ccctl_json *v = NULL;
	size_t dup_off;
	char msg[64];
	int i;

	ccctl_buf_init(&b);
	assert_int_equal(ccctl_buf_append_str(&b, "{"), 0);
	for (i = 0; i < 5000; i++)
		assert_int_equal(ccctl_buf_printf(&b, "%s\"k%d\":%d", i ? "," : "", i, i), 0);
	assert_int_equal(ccctl_json_parse(&v, b.data, b.len + 0), CCCTL_EINVAL);
	assert_int_equal(ccctl_buf_append_str(&b, "}"), 0);
	assert_int_equal(ccctl_json_parse(&v, b.data, b.len), 0);
	assert_int_equal(v->u.obj.n, 5000);
	ccctl_json_free(v);
	v = NULL;

	b.len--;
	dup_off = b.len + 1;
	assert_int_equal(ccctl_buf_append_str(&b, ",\"k4242\":0}"), 0);
	snprintf(msg, sizeof(msg), "duplicate key \"k4242\" at offset %zu", dup_off);
	assert_reject_n((const char *)b.data, b.len, msg);
	ccctl_buf_release(&b);
}

static void nest(struct ccctl_buf *b, int depth, int objects)
{
	int i;

	for (i = 0; i < depth; i++)
		assert_int_equal(ccctl_buf_append_str(b, objects && i % 2 ? "{\"k\":" : "["), 0);
	assert_int_equal(ccctl_buf_append_str(b, "1"), 0);
	for (i = depth - 1; i >= 0; i--)
		assert_int_equal(ccctl_buf_append_str(b, objects && i % 2 ? "}" : "]"), 0);
}

static void test_depth(void **state)
{
	struct ccctl_json *v = NULL;
	struct ccctl_buf b, out;
	int objects;

	for (objects = 0; objects < 2; objects++) {
		ccctl_buf_init(&b);
		ccctl_buf_init(&out);
		nest(&b, CCCTL_JSON_MAX_DEPTH, objects);
		assert_int_equal(ccctl_json_parse(&v, b.data, b.len), 0);
		assert_int_equal(ccctl_json_write_canonical(&out, v), 0);
		assert_string_equal(out.data, b.data);
		ccctl_json_free(v);
		v = NULL;
		ccctl_buf_release(&b);
		ccctl_buf_release(&out);

		nest(&b, CCCTL_JSON_MAX_DEPTH + 1, objects);
		assert_reject_n((const char *)b.data, b.len, "nesting deeper than 64 levels");
		ccctl_buf_release(&b);
	}
	/* Far deeper input fails the same way without exhausting the stack. */
	ccctl_buf_init(&b);
	nest(&b, 100000, 0);
	assert_reject_n((const char *)b.data, b.len, "at offset 64");
	ccctl_buf_release(&b);
}

static void test_writer_depth_bound(void **state)
{
	struct ccctl_json *root = ccctl_json_new_array(), *cur = root;
	struct ccctl_buf out;
	int i;

	ccctl_buf_init(&out);
	for (i = 0; i < CCCTL_JSON_MAX_DEPTH; i++) {
		struct ccctl_json *next = ccctl_json_new_array();

		assert_non_null(next);
		assert_int_equal(ccctl_json_array_push(cur, next), 0);
		cur = next;
	}
	assert_int_equal(ccctl_json_write_canonical(&out, root), CCCTL_EINVAL);
	assert_int_equal(out.len, 0);
	ccctl_buf_release(&out);
	ccctl_json_free(root);
}

static void test_invalid_utf8(void **state)
{
	static const struct {
		const char *s;
		size_t len;
	} bad[] = {
	    {"\"\x80\"", 3},		     /* lone continuation byte */
	    {"\"\xbf\"", 3},		     /* lone continuation byte */
	    {"\"\xc0\x80\"", 4},	     /* overlong NUL */
	    {"\"\xc1\xbf\"", 4},	     /* overlong 2-byte */
	    {"\"\xe0\x80\x80\"", 5},	     /* overlong 3-byte */
	    {"\"\xe0\x9f\xbf\"", 5},	     /* overlong U+07FF */
	    {"\"\xf0\x80\x80\x80\"", 6},     /* overlong 4-byte */
	    {"\"\xf0\x8f\xbf\xbf\"", 6},     /* overlong U+FFFF */
	    {"\"\xed\xa0\x80\"", 5},	     /* UTF-8 encoded surrogate D800 */
	    {"\"\xed\xbf\xbf\"", 5},	     /* UTF-8 encoded surrogate DFFF */
	    {"\"\xf4\x90\x80\x80\"", 6},     /* U+110000 */
	    {"\"\xf5\x80\x80\x80\"", 6},     /* beyond Unicode */
	    {"\"\xf8\x88\x80\x80\x80\"", 7}, /* 5-byte form */
	    {"\"\xfe\"", 3},
	    {"\"\xff\"", 3},
	    {"\"\xe2\x82\"", 4},     /* truncated 3-byte */
	    {"\"\xe2\x82", 3},	     /* truncated at end of input */
	    {"\"\xf0\x9f\x98\"", 5}, /* truncated 4-byte */
	    {"\"\xc3\x28\"", 4},     /* bad continuation */
	    {"\"\xe2\x28\xa1\"", 5}, /* bad continuation */
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_reject_n(bad[i].s, bad[i].len, "invalid UTF-8 at offset 1");
	/* Also inside keys, at the right offset. */
	assert_reject("{\"ok\":1,\"\xc0\xaf\":2}", "invalid UTF-8 at offset 9");
	/* Outside strings, non-ASCII is simply not a value. */
	assert_reject("\xef\xbb\xbf{}", "expected a value at offset 0, found byte 0xef");
}

static void test_valid_utf8_boundaries(void **state)
{
	static const char *const good[] = {
	    "\"\xc2\x80\"",	    /* U+0080 */
	    "\"\xdf\xbf\"",	    /* U+07FF */
	    "\"\xe0\xa0\x80\"",	    /* U+0800 */
	    "\"\xed\x9f\xbf\"",	    /* U+D7FF */
	    "\"\xee\x80\x80\"",	    /* U+E000 */
	    "\"\xef\xbf\xbf\"",	    /* U+FFFF */
	    "\"\xf0\x90\x80\x80\"", /* U+10000 */
	    "\"\xf4\x8f\xbf\xbf\"", /* U+10FFFF */
	};
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_canon(good[i], good[i]);
}

static void test_escapes(void **state)
{
	assert_canon("\"\\ud83d\\ude00\"", "\"\xf0\x9f\x98\x80\"");
	assert_canon("\"\\udbff\\udfff\"", "\"\xf4\x8f\xbf\xbf\"");
	assert_canon("\"\\b\\f\\n\\r\\t\\\"\\\\\\/\"", "\"\\b\\f\\n\\r\\t\\\"\\\\/\"");
	assert_reject("\"\\ud800\"", "lone high surrogate \\ud800 at offset 1");
	assert_reject("\"\\ud800x\"", "lone high surrogate");
	assert_reject("\"\\ud800\\u0041\"", "lone high surrogate");
	assert_reject("\"\\ud800\\ud800\"", "lone high surrogate");
	assert_reject("\"\\ude00\\ud83d\"", "lone low surrogate \\ude00 at offset 1");
	assert_reject("\"\\udc00\"", "lone low surrogate");
	assert_reject("\"ab\\x\"", "invalid escape at offset 3");
	assert_reject("\"\\U0041\"", "invalid escape");
	assert_reject("\"\\'\"", "invalid escape");
	assert_reject("\"\\u12\"", "invalid \\u escape at offset 1");
	assert_reject("\"\\u12g4\"", "invalid \\u escape");
	assert_reject("\"\\u00", "invalid \\u escape");
	assert_reject("\"\\", "expected an escape character at offset 2, found end of input");
	assert_reject("\"abc", "unterminated string");
	assert_reject("\"a\tb\"", "unescaped control character 0x09 in string at offset 2");
	assert_reject_n("\"a\0b\"", 5, "unescaped control character 0x00");
	assert_reject("\"\x1f\"", "unescaped control character 0x1f");
}

static void test_nul_characters(void **state)
{
	struct ccctl_json *v = NULL;
	const char in[] = "\"a\\u0000b\"";
	char *out;

	assert_int_equal(ccctl_json_parse(&v, in, sizeof(in) - 1), 0);
	assert_int_equal(v->type, CCCTL_JSON_STRING);
	assert_int_equal(v->u.str.len, 3);
	assert_memory_equal(v->u.str.s, "a\0b", 4);
	ccctl_json_free(v);
	out = canon(in);
	assert_string_equal(out, in);
	free(out);
	/* Keys are C strings: U+0000 cannot be represented. */
	assert_reject("{\"a\\u0000\":1}", "key at offset 1 contains U+0000");
	/* A NUL byte outside a string is not JSON. */
	assert_reject_n("[1,\0]", 5, "expected a value at offset 3, found byte 0x00");
	assert_reject_n("1\0", 2, "trailing data at offset 1");
}

static void test_numbers(void **state)
{
	struct ccctl_json *v = NULL;

	assert_canon("[0,1,-1,10,-10]", "[0,1,-1,10,-10]");
	assert_int_equal(ccctl_json_parse(&v, "-9007199254740991", 17), 0);
	assert_int_equal(v->type, CCCTL_JSON_INT);
	assert_true(v->u.i == -INT64_C(9007199254740991));
	ccctl_json_free(v);

	assert_reject("9007199254740992", "integer out of range at offset 0");
	assert_reject("-9007199254740992", "integer out of range");
	assert_reject("[1,99999999999999999999999999]", "integer out of range at offset 3");
	assert_reject("18446744073709551616", "integer out of range");
	assert_reject("1.0", "number at offset 0 has a fraction: only integers are supported");
	assert_reject("[0.5]", "has a fraction");
	assert_reject("-1.5", "has a fraction");
	assert_reject("1e3", "number at offset 0 has an exponent");
	assert_reject("1E3", "has an exponent");
	assert_reject("1e-3", "has an exponent");
	assert_reject("0e0", "has an exponent");
	assert_reject("-0", "negative zero at offset 0");
	assert_reject("[-0]", "negative zero at offset 1");
	assert_reject("01", "leading zero at offset 0");
	assert_reject("-01", "leading zero");
	assert_reject("00", "leading zero");
	assert_reject("-", "expected a digit at offset 1, found end of input");
	assert_reject("-a", "expected a digit at offset 1, found 'a'");
	assert_reject("+1", "expected a value at offset 0, found '+'");
	assert_reject(".5", "expected a value");
	assert_reject("1.", "has a fraction");
	assert_reject("0x10", "trailing data at offset 1");
	assert_reject("NaN", "expected a value");
	assert_reject("Infinity", "expected a value");
	assert_reject("-Infinity", "expected a digit");
}

static void test_syntax_errors(void **state)
{
	assert_reject("", "expected a value at offset 0, found end of input");
	assert_reject("  \n", "expected a value at offset 3");
	assert_reject("tru", "expected a value at offset 0");
	assert_reject("True", "expected a value");
	assert_reject("nul", "expected a value");
	assert_reject("nulll", "trailing data at offset 4");
	assert_reject("[1,]", "expected a value at offset 3, found ']'");
	assert_reject("[1 2]", "expected ',' or ']' at offset 3, found '2'");
	assert_reject("[1", "expected ',' or ']' at offset 2, found end of input");
	assert_reject("[", "expected a value at offset 1");
	assert_reject("{\"a\":1,}", "expected a string key at offset 7, found '}'");
	assert_reject("{a:1}", "expected a string key at offset 1, found 'a'");
	assert_reject("{'a':1}", "expected a string key at offset 1, found byte 0x27");
	assert_reject("{\"a\" 1}", "expected ':' at offset 5, found '1'");
	assert_reject("{\"a\":}", "expected a value at offset 5");
	assert_reject("{\"a\":1 \"b\":2}", "expected ',' or '}' at offset 7");
	assert_reject("{\"a\":1", "expected ',' or '}' at offset 6, found end of input");
	assert_reject("{} {}", "trailing data at offset 3");
	assert_reject("1 2", "trailing data at offset 2");
	assert_reject("[1],", "trailing data at offset 3");
	assert_reject("[1]]", "trailing data");
	assert_reject("\v1", "expected a value at offset 0, found byte 0x0b");
	assert_reject("/* c */ 1", "expected a value");
}

static void test_build_and_lookup(void **state)
{
	struct ccctl_json *o = ccctl_json_new_object(), *arr = ccctl_json_new_array();
	const struct ccctl_json *got;
	struct ccctl_buf b;
	int64_t i = 0;
	bool flag = false;

	ccctl_buf_init(&b);
	assert_non_null(o);
	assert_non_null(arr);
	assert_int_equal(ccctl_json_object_set_string(o, "name", "x"), 0);
	assert_int_equal(ccctl_json_object_set_int(o, "version", 1), 0);
	assert_int_equal(ccctl_json_object_set_bool(o, "clock", true), 0);
	assert_int_equal(ccctl_json_array_push(arr, ccctl_json_new_string("a")), 0);
	assert_int_equal(ccctl_json_array_push(arr, ccctl_json_new_null()), 0);
	assert_int_equal(ccctl_json_object_set(o, "list", arr), 0);
	/* Replacing keeps the position. */
	assert_int_equal(ccctl_json_object_set_string(o, "name", "y"), 0);
	assert_int_equal(o->u.obj.n, 4);

	assert_string_equal(ccctl_json_get_string(o, "name"), "y");
	assert_null(ccctl_json_get_string(o, "version"));
	assert_null(ccctl_json_get(o, "missing"));
	assert_null(ccctl_json_get(arr, "name"));
	assert_int_equal(ccctl_json_get_int(o, "version", &i), 0);
	assert_int_equal(i, 1);
	assert_int_equal(ccctl_json_get_int(o, "name", &i), CCCTL_EINVAL);
	assert_string_equal(ccctl_err_msg(),
			    "json: member \"name\": expected integer, found string");
	assert_int_equal(ccctl_json_get_int(o, "nope", &i), CCCTL_EINVAL);
	assert_string_equal(ccctl_err_msg(), "json: missing member \"nope\"");
	assert_int_equal(ccctl_json_get_bool(o, "clock", &flag), 0);
	assert_true(flag);
	assert_int_equal(ccctl_json_get_bool(o, "list", &flag), CCCTL_EINVAL);
	got = ccctl_json_get(o, "list");
	assert_non_null(got);
	assert_int_equal(got->type, CCCTL_JSON_ARRAY);
	assert_string_equal(ccctl_json_type_name(got->type), "array");

	/* Wrong container type or unsafe integers: rejected, value freed. */
	assert_int_equal(ccctl_json_array_push(o, ccctl_json_new_int(1)), CCCTL_EINVAL);
	assert_int_equal(ccctl_json_object_set_int((struct ccctl_json *)got, "k", 1), CCCTL_EINVAL);
	assert_int_equal(ccctl_json_object_set_int(o, "big", INT64_C(9007199254740992)),
			 CCCTL_EINVAL);
	assert_int_equal(ccctl_json_array_push((struct ccctl_json *)got,
					       ccctl_json_new_int(-INT64_C(9007199254740992))),
			 CCCTL_EINVAL);
	assert_int_equal(ccctl_json_object_set_int(o, "max", INT64_C(9007199254740991)), 0);
	assert_int_equal(ccctl_json_array_push(o, NULL), CCCTL_EFAIL);

	assert_int_equal(ccctl_json_write_canonical(&b, o), 0);
	assert_string_equal(b.data,
			    "{\"clock\":true,\"list\":[\"a\",null],\"max\":9007199254740991,"
			    "\"name\":\"y\",\"version\":1}");
	ccctl_buf_release(&b);
	ccctl_json_free(o);
	ccctl_json_free(NULL);
}

static void test_writer_rejects(void **state)
{
	struct ccctl_json *s = ccctl_json_new_stringn("ok\xc0\x80", 4);
	struct ccctl_json *big = ccctl_json_new_int(INT64_MIN);
	struct ccctl_json *o = ccctl_json_new_object();
	struct ccctl_buf b;

	ccctl_buf_init(&b);
	assert_int_equal(ccctl_buf_append_str(&b, "keep"), 0);
	assert_int_equal(ccctl_json_write_canonical(&b, s), CCCTL_EINVAL);
	assert_string_equal(ccctl_err_msg(), "json: string has invalid UTF-8 at byte 2");
	/* A failed write leaves the buffer as it was. */
	assert_int_equal(b.len, 4);
	assert_string_equal(b.data, "keep");
	assert_int_equal(ccctl_json_write_pretty(&b, big), CCCTL_EINVAL);
	assert_string_equal(b.data, "keep");
	/* Invalid UTF-8 in a key set through the API. */
	assert_int_equal(ccctl_json_object_set_int(o, "\xff", 1), 0);
	assert_int_equal(ccctl_json_write_canonical(&b, o), CCCTL_EINVAL);
	assert_string_equal(b.data, "keep");
	ccctl_buf_release(&b);
	ccctl_json_free(s);
	ccctl_json_free(big);
	ccctl_json_free(o);
}

static void test_pretty(void **state)
{
	const char *in = "{\"z\":{\"b\":[1,{\"c\":\"\\n\"}],\"a\":[]},\"y\":{},\"x\":true}";
	struct ccctl_json *v = NULL;
	struct ccctl_buf b;

	ccctl_buf_init(&b);
	assert_int_equal(ccctl_json_parse(&v, in, strlen(in)), 0);
	assert_int_equal(ccctl_json_write_pretty(&b, v), 0);
	assert_string_equal(b.data, "{\n"
				    "  \"z\": {\n"
				    "    \"b\": [\n"
				    "      1,\n"
				    "      {\n"
				    "        \"c\": \"\\n\"\n"
				    "      }\n"
				    "    ],\n"
				    "    \"a\": []\n"
				    "  },\n"
				    "  \"y\": {},\n"
				    "  \"x\": true\n"
				    "}\n");
	ccctl_buf_release(&b);
	assert_int_equal(ccctl_json_write_pretty(&b, ccctl_json_get(v, "x")), 0);
	assert_string_equal(b.data, "true\n");
	ccctl_buf_release(&b);
	ccctl_json_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rfc8785_string_escapes),
	    cmocka_unit_test(test_rfc8785_key_sorting),
	    cmocka_unit_test(test_utf16_order),
	    cmocka_unit_test(test_control_escapes),
	    cmocka_unit_test(test_roundtrip_canonical),
	    cmocka_unit_test(test_whitespace_and_escapes_normalised),
	    cmocka_unit_test(test_duplicate_keys),
	    cmocka_unit_test(test_many_keys),
	    cmocka_unit_test(test_depth),
	    cmocka_unit_test(test_writer_depth_bound),
	    cmocka_unit_test(test_invalid_utf8),
	    cmocka_unit_test(test_valid_utf8_boundaries),
	    cmocka_unit_test(test_escapes),
	    cmocka_unit_test(test_nul_characters),
	    cmocka_unit_test(test_numbers),
	    cmocka_unit_test(test_syntax_errors),
	    cmocka_unit_test(test_build_and_lookup),
	    cmocka_unit_test(test_writer_rejects),
	    cmocka_unit_test(test_pretty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
