#pragma once
// How `coconsul intention` prints, as Consul's CLI does (command/intention/*, api's
// Intention.String, ryanuber/columnize): "web => db (allow)", aligned columns, Go's RFC 850 time.

#include <coconsul/model/intention.hpp>

#include <string>
#include <vector>

namespace coconsul::cli {

// api.Intention.String(): "web => db (allow)", "1 permission" / "N permissions" for L7; a
// namespace other than "default" is shown as "ns/name".
std::string describe_intention(const intention& ixn);

// columnize.Format: each row's cells padded to their column's width, two spaces between
// columns, the last column as it is; one line per row.
std::string columns(const std::vector<std::vector<std::string>>& rows);

// `consul intention get`'s "Created At": Go's time text shown in local time in RFC 850 form
// ("Wednesday, 02-Dec-26 12:00:00 UTC"); the zero time for an empty one.
std::string rfc850_local(const std::string& go_time);

}  // namespace coconsul::cli
