/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-template.c - `ccctl template list`: the templates `ccctl init` can
 * start a project from, and the template folder helpers of cmd-template.h.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "cli/cli.h"
#include "cli/cmd-template.h"

int cli_template_name_ok(const char *name)
{
	size_t i;

	if (!((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= '0' && name[0] <= '9')))
		return 0;
	for (i = 1; name[i]; i++) {
		char c = name[i];

		if (i >= CLI_TEMPLATE_NAME_MAX ||
		    !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return 0;
	}
	return 1;
}

void cli_strv_free(char **v, size_t n)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Append a copy of s to *v (n entries, capacity *cap). */
static int strv_push(char ***v, size_t *n, size_t *cap, const char *s, size_t len)
{
	char *copy;

	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		char **nv;

		if (ncap > SIZE_MAX / sizeof(**v))
			return ccctl_err_nomem();
		nv = realloc(*v, ncap * sizeof(**v));
		if (!nv)
			return ccctl_err_nomem();
		*v = nv;
		*cap = ncap;
	}
	copy = strndup(s, len);
	if (!copy)
		return ccctl_err_nomem();
	(*v)[(*n)++] = copy;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_regular(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int cli_template_names(char ***out, size_t *n)
{
	const char *root = cli_template_dir();
	char **v = NULL;
	size_t cap = 0;
	DIR *d;
	struct dirent *e;
	int ret = 0;

	*out = NULL;
	*n = 0;
	d = opendir(root);
	if (!d)
		return errno == ENOENT ? 0 : ccctl_err_errno(CCCTL_EFAIL, root);
	while ((e = readdir(d))) {
		char path[4096];
		int len;

		if (!cli_template_name_ok(e->d_name))
			continue;
		len = snprintf(path, sizeof(path), "%s/%s/topology.yaml", root, e->d_name);
		if (len < 0 || (size_t)len >= sizeof(path) || !is_regular(path))
			continue;
		ret = strv_push(&v, n, &cap, e->d_name, strlen(e->d_name));
		if (ret)
			goto out;
	}
	if (*n)
		qsort(v, *n, sizeof(*v), cmp_str);
out:
	closedir(d);
	if (ret) {
		cli_strv_free(v, *n);
		*n = 0;
		return ret;
	}
	*out = v;
	return 0;
}

char *cli_template_names_joined(void)
{
	struct ccctl_buf b;
	char **names = NULL;
	size_t n = 0, i;
	int ret;

	ccctl_buf_init(&b);
	ret = cli_template_names(&names, &n);
	for (i = 0; ret == 0 && i < n; i++)
		ret = ccctl_buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
	if (ret == 0 && n == 0)
		ret = ccctl_buf_printf(&b, "(none in \"%s\")", cli_template_dir());
	cli_strv_free(names, n);
	if (ret) {
		ccctl_buf_release(&b);
		return NULL;
	}
	return ccctl_buf_steal(&b, NULL);
}

void cli_template_release(struct cli_template *t)
{
	free(t->name);
	free(t->dir);
	free(t->description);
	cli_strv_free(t->participants, t->nparticipants);
	cli_strv_free(t->programs, t->nprograms);
	memset(t, 0, sizeof(*t));
}

static const char *scalar(const yaml_node_t *node, size_t *len)
{
	if (!node || node->type != YAML_SCALAR_NODE)
		return NULL;
	*len = node->data.scalar.length;
	return (const char *)node->data.scalar.value;
}

static int key_is(yaml_document_t *doc, const yaml_node_pair_t *p, const char *key)
{
	size_t len;
	const char *s = scalar(yaml_document_get_node(doc, p->key), &len);

	return s && len == strlen(key) && memcmp(s, key, len) == 0;
}

/* The topology fields a template needs, from the parsed document. */
static int read_fields(struct cli_template *t, yaml_document_t *doc, const char *file)
{
	yaml_node_t *root = yaml_document_get_root_node(doc), *v;
	yaml_node_pair_t *p, *q;
	yaml_node_item_t *it;
	size_t cap = 0, pcap = 0, len;
	const char *s;
	int ret;

	if (!root || root->type != YAML_MAPPING_NODE)
		return ccctl_err_set(CCCTL_EINVAL, "\"%s\": expected a mapping at the top", file);
	for (p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
		v = yaml_document_get_node(doc, p->value);
		if (key_is(doc, p, "description") && (s = scalar(v, &len))) {
			free(t->description);
			t->description = strndup(s, len);
			if (!t->description)
				return ccctl_err_nomem();
		} else if (key_is(doc, p, "participants")) {
			if (!v || v->type != YAML_MAPPING_NODE)
				return ccctl_err_set(CCCTL_EINVAL,
						     "\"%s\": participants: expected a "
						     "mapping of names",
						     file);
			for (q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++) {
				s = scalar(yaml_document_get_node(doc, q->key), &len);
				if (!s || strlen(s) != len)
					return ccctl_err_set(CCCTL_EINVAL,
							     "\"%s\": participants: "
							     "expected a name",
							     file);
				ret = strv_push(&t->participants, &t->nparticipants, &cap, s, len);
				if (ret)
					return ret;
			}
		} else if (key_is(doc, p, "programs") && v && v->type == YAML_SEQUENCE_NODE) {
			for (it = v->data.sequence.items.start; it < v->data.sequence.items.top;
			     it++) {
				yaml_node_t *prog = yaml_document_get_node(doc, *it);

				if (!prog || prog->type != YAML_MAPPING_NODE)
					continue;
				for (q = prog->data.mapping.pairs.start;
				     q < prog->data.mapping.pairs.top; q++) {
					s = scalar(yaml_document_get_node(doc, q->value), &len);
					if (!key_is(doc, q, "wasm") || !s || strlen(s) != len)
						continue;
					ret = strv_push(&t->programs, &t->nprograms, &pcap, s, len);
					if (ret)
						return ret;
				}
			}
		}
	}
	if (!t->nparticipants)
		return ccctl_err_set(CCCTL_EINVAL, "\"%s\": no participants", file);
	return 0;
}

int cli_template_load(struct cli_template *t, const char *name)
{
	struct ccctl_buf text, path;
	yaml_parser_t parser;
	yaml_document_t doc;
	int ret, have_parser = 0, have_doc = 0;
	char *names = NULL;

	memset(t, 0, sizeof(*t));
	ccctl_buf_init(&text);
	ccctl_buf_init(&path);
	ret = ccctl_buf_printf(&path, "%s/%s/topology.yaml", cli_template_dir(), name);
	if (ret)
		goto out;
	if (!cli_template_name_ok(name) || !is_regular((char *)path.data)) {
		names = cli_template_names_joined();
		ret = ccctl_err_set(CCCTL_EUSAGE, "unknown template \"%s\": expected one of %s",
				    name, names ? names : "the names `ccctl template list` prints");
		goto out;
	}
	t->name = strdup(name);
	if (!t->name || ccctl_buf_printf(&text, "%s/%s", cli_template_dir(), name)) {
		ret = ccctl_err_nomem();
		goto out;
	}
	t->dir = ccctl_buf_steal(&text, NULL);
	ret = ccctl_file_read(&text, (char *)path.data, CLI_TEMPLATE_MAX_TOPOLOGY);
	if (ret)
		goto out;
	if (!yaml_parser_initialize(&parser)) {
		ret = ccctl_err_nomem();
		goto out;
	}
	have_parser = 1;
	yaml_parser_set_input_string(&parser, text.data, text.len);
	if (!yaml_parser_load(&parser, &doc)) {
		ret = ccctl_err_set(CCCTL_EINVAL, "\"%s\":%zu:%zu: %s", (char *)path.data,
				    parser.problem_mark.line + 1, parser.problem_mark.column + 1,
				    parser.problem ? parser.problem : "invalid YAML");
		goto out;
	}
	have_doc = 1;
	ret = read_fields(t, &doc, (char *)path.data);
out:
	if (have_doc)
		yaml_document_delete(&doc);
	if (have_parser)
		yaml_parser_delete(&parser);
	free(names);
	ccctl_buf_release(&text);
	ccctl_buf_release(&path);
	return ret;
}

static const struct cli_opt opts[] = {
    CLI_OPT_JSON,
    CLI_OPT_END,
};

static int run(struct cli_ctx *ctx)
{
	struct cli_template t = {0};
	struct ccctl_json *doc = NULL, *arr = NULL, *item;
	char **names = NULL;
	size_t n = 0, i, width = 0;
	int ret;

	ret = cli_template_names(&names, &n);
	if (ret)
		goto out;
	if (n == 0 && !ctx->json)
		cli_warn(ctx, "no templates in \"%s\"", cli_template_dir());
	for (i = 0; i < n; i++)
		if (strlen(names[i]) > width)
			width = strlen(names[i]);
	if (ctx->json) {
		doc = ccctl_json_new_object();
		arr = ccctl_json_new_array();
		if (!doc || !arr) {
			ret = ccctl_err_nomem();
			goto out;
		}
	}
	for (i = 0; i < n; i++) {
		ret = cli_template_load(&t, names[i]);
		if (ret == CCCTL_EINVAL) {
			/* One broken template does not hide the others. */
			cli_warn(ctx, "skipping template \"%s\": %s", names[i], ccctl_err_msg());
			cli_template_release(&t);
			ret = 0;
			continue;
		}
		if (ret)
			goto out;
		if (!ctx->json) {
			if (t.description)
				printf("%-*s  %s\n", (int)width, t.name, t.description);
			else
				printf("%s\n", t.name);
		} else {
			item = ccctl_json_new_object();
			if (!item) {
				ret = ccctl_err_nomem();
				goto out;
			}
			if ((ret = ccctl_json_array_push(arr, item)) ||
			    (ret = ccctl_json_object_set_string(item, "name", t.name)) ||
			    (t.description && (ret = ccctl_json_object_set_string(
						   item, "description", t.description))) ||
			    (ret = ccctl_json_object_set_string(item, "path", t.dir)))
				goto out;
		}
		cli_template_release(&t);
	}
	if (ctx->json) {
		ret = ccctl_json_object_set_string(doc, "directory", cli_template_dir());
		if (ret == 0) {
			ret = ccctl_json_object_set(doc, "templates", arr);
			arr = NULL;
		}
		if (ret == 0)
			ret = cli_print_json(ctx, doc);
	}
out:
	cli_template_release(&t);
	cli_strv_free(names, n);
	ccctl_json_free(arr);
	ccctl_json_free(doc);
	return ret;
}

const struct cli_cmd cmd_template_list = {
    .name = "template list",
    .args = "",
    .summary = "list the templates `ccctl init` can start from",
    .opts = opts,
    .min_args = 0,
    .max_args = 0,
    .run = run,
};
