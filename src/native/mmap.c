// mapFile(path): the whole of a regular file mapped into memory as a Buffer, unmapped when the
// Buffer is garbage-collected. Node has no mmap; reading a 28 MB database into a fresh Buffer
// costs a page fault per page of new memory, while mapped pages come straight from the page
// cache. Node-API only (no C++, no V8 headers): one binary works on every Node version.
// The mapping is private and writable, so a stray write changes this process's copy, never
// the file, and cannot crash.
#include <errno.h>
#include <fcntl.h>
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static void unmap_file(napi_env env, void *data, void *hint) {
  (void)env;
  munmap(data, (size_t)(uintptr_t)hint);
}

static napi_value fail(napi_env env, const char *code, const char *what, const char *path, int error) {
  char message[4200];
  snprintf(message, sizeof message, "%s %s: %s", what, path, strerror(error));
  napi_throw_error(env, code, message);
  return NULL;
}

static napi_value map_file(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  char path[4097];
  size_t length = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
      napi_get_value_string_utf8(env, argv[0], path, sizeof path, &length) != napi_ok || length >= sizeof path - 1) {
    napi_throw_type_error(env, NULL, "mapFile(path): path must be a string shorter than 4096 bytes");
    return NULL;
  }
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(env, errno == ENOENT ? "ENOENT" : "EIO", "cannot open", path, errno);
  struct stat info_of_file;
  if (fstat(fd, &info_of_file) != 0) {
    int error = errno;
    close(fd);
    return fail(env, "EIO", "cannot stat", path, error);
  }
  if (!S_ISREG(info_of_file.st_mode)) {
    close(fd);
    return fail(env, "EINVAL", "cannot map", path, EINVAL);
  }
  size_t size = (size_t)info_of_file.st_size;
  napi_value result;
  if (size == 0) {
    close(fd);
    if (napi_create_buffer(env, 0, NULL, &result) != napi_ok) return NULL;
    return result;
  }
  void *data = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  int error = errno;
  close(fd);
  if (data == MAP_FAILED) return fail(env, "ENOMEM", "cannot map", path, error);
  if (napi_create_external_buffer(env, size, data, unmap_file, (void *)(uintptr_t)size, &result) != napi_ok) {
    munmap(data, size);
    napi_throw_error(env, NULL, "cannot wrap the mapping in a Buffer");
    return NULL;
  }
  return result;
}

NAPI_MODULE_INIT() {
  napi_value function;
  if (napi_create_function(env, "mapFile", NAPI_AUTO_LENGTH, map_file, NULL, &function) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "mapFile", function) != napi_ok) return NULL;
  return exports;
}
