/* refserver.c — placeholder until the reference server lands. */
#include "refserver.h"

typedef int mh_refserver_placeholder;
