/* SPDX-License-Identifier: Apache-2.0 */
/*
 * units.h - the small value grammars shared by topologies and policies:
 * sizes, durations, names, guest paths, RFC 3339 times.
 *
 * Parsers return 0 or CCCTL_EINVAL with a message (lowercase, the value
 * quoted, what was expected).  Every number is bounded by CCCTL_UNITS_MAX,
 * the largest integer JSON can carry exactly (2^53 - 1), and overflow is
 * checked before it can happen.
 */
#ifndef CCCTL_UNITS_H
#define CCCTL_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CCCTL_UNITS_MAX ((uint64_t)9007199254740991ull) /* 2^53 - 1 */
#define CCCTL_PATH_MAX	1024

/* A plain decimal integer: digits only, no sign, no leading zeros (but "0"),
 * at most CCCTL_UNITS_MAX. */
int ccctl_units_parse_uint(uint64_t *out, const char *s);

/* A size: decimal followed by an optional unit B, KiB, MiB or GiB (no
 * space); a bare number is bytes.  "64MiB" -> 67108864. */
int ccctl_units_parse_size(uint64_t *out, const char *s);

/* A duration: decimal followed by an optional unit s, m or h; a bare number
 * is seconds.  "10m" -> 600. */
int ccctl_units_parse_duration(uint64_t *out, const char *s);

/* Participant and program names: [a-z][a-z0-9_-]{0,31}. */
bool ccctl_units_name_ok(const char *s);

/* Policy (topology) names: [a-z0-9][a-z0-9-]{0,62}. */
bool ccctl_units_policy_name_ok(const char *s);

/*
 * Guest paths: absolute ("/..."), at most CCCTL_PATH_MAX bytes of printable
 * ASCII other than space and backslash, no empty ("//"), "." or ".."
 * component.  A trailing '/' makes it a folder; folders are accepted only
 * when folder_ok is set ("/" alone is the folder holding everything).
 * On failure, *why (when not NULL) says what is wrong (static string).
 */
bool ccctl_units_path_ok(const char *s, bool folder_ok, const char **why);

/* Whether a read/write right `rule` covers guest file `path`: equal, or
 * rule is a folder (trailing '/') that path lies under. */
bool ccctl_units_path_covers(const char *rule, const char *path);

/* Whether two rights can name a common file (one covers the other). */
bool ccctl_units_paths_overlap(const char *a, const char *b);

/* "YYYY-MM-DDTHH:MM:SSZ" (RFC 3339, UTC, whole seconds, years 1970-9999)
 * into seconds since the epoch. */
int ccctl_units_parse_time(int64_t *out, const char *s);

/* Edit distance (optimal string alignment: a swap of neighbours counts one)
 * between two short strings (bounded: strings longer
 * than 64 bytes give SIZE_MAX). */
size_t ccctl_units_distance(const char *a, const char *b);

/* The candidate closest to s (distance <= 2, or <= a third of its length
 * for longer words), or NULL when none is close enough.  Borrowed. */
const char *ccctl_units_closest(const char *s, const char *const *candidates);

#endif
