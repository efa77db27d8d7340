/* checks.c — the check catalogue as a table (contract: model.h), generated
 * from the one list in check_list.h. */
#include <string.h>

#include "manta/model.h"

#define CHECK_ROW(id, name, severity, security, description, sarif_text)                           \
    [MH_CHECK_##id] = {name, severity, security, description, sarif_text},
const mh_check_info mh_checks[MH_CHECK_COUNT] = {MH_CHECK_LIST(CHECK_ROW)};
#undef CHECK_ROW

const size_t mh_check_count = MH_CHECK_COUNT;

/* A name that does not fit mh_check_info.name (with its NUL) fails here. */
#define CHECK_FITS(id, name, severity, security, description, sarif_text)                          \
    _Static_assert(sizeof name <= MH_CHECK_NAME_MAX, "check name too long: " name);
MH_CHECK_LIST(CHECK_FITS)
#undef CHECK_FITS

static const mh_check_info *info(mh_check_id id)
{
    return (unsigned)id < MH_CHECK_COUNT ? &mh_checks[id] : NULL;
}

const char *mh_check_name(mh_check_id id)
{
    return info(id) ? info(id)->name : "unknown";
}

mh_severity mh_check_severity(mh_check_id id)
{
    return info(id) ? info(id)->severity : MH_SEV_ERROR;
}

const char *mh_check_description(mh_check_id id)
{
    return info(id) ? info(id)->description : "";
}

const char *mh_check_sarif_text(mh_check_id id)
{
    return info(id) ? info(id)->sarif_text : "";
}

int mh_check_is_security(mh_check_id id)
{
    return info(id) ? info(id)->security : 0;
}

int mh_check_parse(const char *name)
{
    for (int i = 0; name && i < MH_CHECK_COUNT; i++)
        if (strcmp(mh_checks[i].name, name) == 0)
            return i;
    return -1;
}
