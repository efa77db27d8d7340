/* refserver.h — the reference implementation of the endpoint (libmicrohttpd).
 * Contract owned by the reference-server work; see DESIGN.md "Reference
 * server semantics". */
#ifndef MH_REFSERVER_H
#define MH_REFSERVER_H

#endif
