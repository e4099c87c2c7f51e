/* SPDX-License-Identifier: Apache-2.0 */
/*
 * measure.h - reference measurements of runtime images and the
 * measurements.json file that `ccctl image build` writes next to an image.
 *
 * measurements.json is one canonical JSON object (RFC 8785) plus "\n", with a
 * member per backend that was measured, lowercase hex values:
 *   {"nitro":{"pcr0":"..","pcr1":"..","pcr2":".."},"sim":{"sha256":".."}}
 * The per-backend objects have the shape of a policy's
 * backends[].measurements (ccctl-policy(5)).
 */
#ifndef CCCTL_MEASURE_H
#define CCCTL_MEASURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "crypto.h"
#include "eif.h"
#include "json.h"

/* measurements.json is small; larger files are rejected. */
#define CCCTL_MEASURE_MAX_FILE 65536

struct ccctl_measurements {
	bool has_sim;
	uint8_t sim_sha256[CCCTL_SHA256_LEN];
	bool has_nitro;
	struct ccctl_eif_pcrs nitro;
};

/* TPM-style extend: out = SHA-384(prev || data), prev = 48 zero bytes when
 * NULL.  A Nitro PCR of image data is the extend of SHA-384(data); PCR3/4
 * are the extend of the raw role ARN / instance ID string.  0 or CCCTL_EFAIL. */
int ccctl_measure_pcr_extend(uint8_t out[CCCTL_SHA384_LEN], const uint8_t *prev, const void *data,
			     size_t len);

/* SHA-256 of a whole file (the sim measurement of a runtime binary), read in
 * large chunks.  CCCTL_EFAIL naming the file if it cannot be read. */
int ccctl_measure_file_sha256(uint8_t out[CCCTL_SHA256_LEN], const char *path);

/* The measurements as a JSON object in the measurements.json shape. */
int ccctl_measure_to_json(struct ccctl_json **out, const struct ccctl_measurements *m);
/* Canonical measurements.json bytes (with the trailing "\n") appended to out. */
int ccctl_measure_write(struct ccctl_buf *out, const struct ccctl_measurements *m);
/* Parse measurements.json (trailing white space allowed).  Strict: unknown
 * backends or keys, wrong hex lengths and upper-case hex are CCCTL_EINVAL
 * naming the member. */
int ccctl_measure_parse(struct ccctl_measurements *out, const void *data, size_t len);
/* Read and parse a measurements.json file. */
int ccctl_measure_read_file(struct ccctl_measurements *out, const char *path);

/* Compare expected with found backend by backend (only backends present in
 * expected).  0 when equal, else CCCTL_EVERIFY with a message naming the
 * first difference: "measurement mismatch: nitro pcr1: expected .., found ..". */
int ccctl_measure_compare(const struct ccctl_measurements *expected,
			  const struct ccctl_measurements *found);

/* nitro-cli's output shape: {"Measurements":{"HashAlgorithm":"Sha384 { ... }",
 * "PCR0":..,"PCR1":..,"PCR2":..}} (upper-case keys, lowercase hex). */
int ccctl_measure_nitro_cli_json(struct ccctl_json **out, const struct ccctl_eif_pcrs *pcrs);

#endif
