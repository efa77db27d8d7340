/* test_fileio.c — whole-file and whole-stream reads: contents kept byte for
 * byte and NUL-terminated; missing file, directory and over-limit input each
 * fail with MH_ERR_IO, a message naming the input and the matching errno. */
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "manta/fileio.h"

static char path[] = "/tmp/mh-fileio-XXXXXX";

static void write_temp(const char *bytes, size_t n)
{
    strcpy(path, "/tmp/mh-fileio-XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, bytes, n), (ssize_t)n);
    close(fd);
}

START_TEST(fileio_read_binary_keeps_bytes)
{
    static const char bytes[] = "a\0b\nc"; /* 5 bytes with an embedded NUL */
    write_temp(bytes, 5);
    char *buf = NULL;
    size_t len = 0;
    mh_error err;
    ck_assert_int_eq(mh_file_read(path, MH_FILE_NO_LIMIT, &buf, &len, &err), MH_OK);
    ck_assert_uint_eq(len, 5);
    ck_assert_mem_eq(buf, bytes, 5);
    ck_assert_int_eq(buf[5], '\0');
    free(buf);
    unlink(path);
}
END_TEST

START_TEST(fileio_read_empty_file_ok)
{
    write_temp("", 0);
    char *buf = NULL;
    size_t len = 7;
    ck_assert_int_eq(mh_file_read(path, 16, &buf, &len, NULL), MH_OK);
    ck_assert_uint_eq(len, 0);
    ck_assert_str_eq(buf, "");
    free(buf);
    unlink(path);
}
END_TEST

START_TEST(fileio_read_missing_fails_io)
{
    char *buf = (char *)1;
    size_t len = 7;
    mh_error err;
    ck_assert_int_eq(mh_file_read("/nonexistent/x.json", 16, &buf, &len, &err), MH_ERR_IO);
    ck_assert_int_eq(errno, ENOENT);
    ck_assert_str_eq(err.message, "cannot read /nonexistent/x.json: No such file or directory");
    ck_assert_ptr_eq(buf, (char *)1); /* outputs unaltered */
    ck_assert_uint_eq(len, 7);
}
END_TEST

START_TEST(fileio_read_directory_fails_io)
{
    char *buf = NULL;
    size_t len = 0;
    mh_error err;
    ck_assert_int_eq(mh_file_read("/tmp", MH_FILE_NO_LIMIT, &buf, &len, &err), MH_ERR_IO);
    ck_assert_int_eq(errno, EISDIR);
    ck_assert_str_eq(err.message, "cannot read /tmp: Is a directory");
    ck_assert_ptr_null(buf);
}
END_TEST

START_TEST(fileio_read_over_limit_fails_io)
{
    write_temp("0123456789", 10);
    char *buf = NULL;
    size_t len = 0;
    mh_error err;
    ck_assert_int_eq(mh_file_read(path, 10, &buf, &len, &err), MH_OK); /* exactly the limit */
    ck_assert_uint_eq(len, 10);
    free(buf);
    buf = NULL;
    ck_assert_int_eq(mh_file_read(path, 9, &buf, &len, &err), MH_ERR_IO);
    ck_assert_int_eq(errno, EFBIG);
    ck_assert_ptr_nonnull(strstr(err.message, "larger than the 9-byte input limit"));
    ck_assert_ptr_nonnull(strstr(err.message, path));
    ck_assert_ptr_null(buf);
    unlink(path);
}
END_TEST

START_TEST(fileio_stream_over_limit_names_stream)
{
    /* A stream has no size up front: the limit is found while reading. */
    enum { MIB = 1 << 20 };
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    char *big = calloc(MIB + 1, 1);
    ck_assert_ptr_nonnull(big);
    ck_assert_uint_eq(fwrite(big, 1, MIB + 1, f), MIB + 1);
    free(big);
    rewind(f);
    char *buf = NULL;
    size_t len = 0;
    mh_error err;
    ck_assert_int_eq(mh_stream_read(f, "stdin", MIB, &buf, &len, &err), MH_ERR_IO);
    ck_assert_str_eq(err.message, "stdin: larger than the 1 MiB input limit");
    ck_assert_ptr_null(buf);
    rewind(f);
    ck_assert_int_eq(mh_stream_read(f, "stdin", MIB + 1, &buf, &len, &err), MH_OK);
    ck_assert_uint_eq(len, MIB + 1);
    ck_assert_int_eq(buf[len], '\0');
    free(buf);
    fclose(f);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("fileio");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, fileio_read_binary_keeps_bytes);
    tcase_add_test(tc, fileio_read_empty_file_ok);
    tcase_add_test(tc, fileio_read_missing_fails_io);
    tcase_add_test(tc, fileio_read_directory_fails_io);
    tcase_add_test(tc, fileio_read_over_limit_fails_io);
    tcase_add_test(tc, fileio_stream_over_limit_names_stream);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
