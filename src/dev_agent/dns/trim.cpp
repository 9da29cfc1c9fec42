// Trimming as Consul does it: a cut to the answer limit, then a binary search for how many
// answers fit, keeping in the additional section only the records the remaining SRV answers need.
// Sizes are the encoder's own (wire.hpp).

#include "dev_agent/dns/trim.hpp"

#include "dev_agent/dns/limits.hpp"
#include "dev_agent/dns/names.hpp"
#include "dev_agent/dns/wire.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace coconsul::dev::dns {
namespace {

// Consul's indexRRs: the first additional record of each name (lower case).
using extra_index = std::map<std::string, record>;
extra_index index_extra(const std::vector<record>& extra) {
  extra_index index;
  for (const auto& r : extra) index.emplace(lower_ascii(r.name), r);
  return index;
}

// Consul's syncExtra: the additional section becomes the records the SRV answers' targets need
// (following CNAMEs), one per name; everything else there goes.
void sync_extra(const extra_index& index, message& m) {
  std::vector<record> extra;
  std::set<std::string> resolved;
  for (const auto& ans : m.answer) {
    const auto* srv = std::get_if<srv_data>(&ans.data);
    if (!srv) continue;
    std::string target = lower_ascii(srv->target);
    while (resolved.insert(target).second) {
      auto it = index.find(target);
      if (it == index.end()) break;
      extra.push_back(it->second);
      const auto* cname = std::get_if<name_data>(&it->second.data);
      if (it->second.type != rr_type::cname || !cname) break;
      target = lower_ascii(cname->target);
    }
  }
  m.additional = std::move(extra);
}

std::size_t size_of(const message& m, bool compressed) { return encoded_size(m, compressed); }

// Consul's dnsBinaryTruncate: how many of the answers fit in max_size (close enough: within 10
// bytes of it ends the search).
std::size_t binary_truncate(message& m, const std::vector<record>& original, std::size_t max_size,
                            const extra_index& index, bool has_extra, bool compressed) {
  std::size_t start = 0, end = original.size() + 1;
  while (end - start > 1) {
    std::size_t median = start + (end - start) / 2;
    m.answer.assign(original.begin(), original.begin() + static_cast<std::ptrdiff_t>(median));
    if (has_extra) sync_extra(index, m);
    std::size_t len = size_of(m, compressed);
    if (len <= max_size) {
      if (max_size - len < 10) return median;
      start = median;
    } else {
      end = median;
    }
  }
  return start;
}

// The loop both transports end with: drop the authority section, then answers (by a binary
// search when more than 100 bytes over), until the message fits or one answer is left.
void fit(message& m, std::size_t limit, std::size_t search_size, const extra_index& index, bool has_extra,
         bool compressed) {
  while (m.answer.size() > 1 && size_of(m, compressed) > limit) {
    m.authority.clear();
    std::size_t len = size_of(m, compressed);
    if (len > search_size && len - search_size > 100) {
      std::vector<record> original = m.answer;
      std::size_t best = binary_truncate(m, original, search_size, index, has_extra, compressed);
      original.resize(best);
      m.answer = std::move(original);
    } else {
      m.answer.pop_back();
    }
    if (has_extra) sync_extra(index, m);
  }
}

}  // namespace

bool trim_udp(message& response, const message& request, unsigned udp_answer_limit) {
  const std::size_t answers = response.answer.size();
  const bool has_extra = !response.additional.empty();
  std::size_t max_size = default_udp_size;
  if (request.opt && request.opt->udp_size > max_size) max_size = request.opt->udp_size;
  max_size = std::min(max_size, max_udp_datagram);
  extra_index index;
  if (has_extra) index = index_extra(response.additional);

  const std::size_t max_answers = std::min<std::size_t>(max_udp_answer_limit, udp_answer_limit);
  bool compressed = true;
  if (max_size == default_udp_size && answers > max_answers) {
    // Measured uncompressed from here on, so the answer fits even for a client that would
    // expand it; it is still sent compressed.
    compressed = false;
    response.answer.resize(max_answers);
    if (has_extra) sync_extra(index, response);
  }
  // 8 bytes for the UDP header; the binary search aims at the whole size, as Consul's does.
  fit(response, max_size - 8, max_size, index, has_extra, compressed);
  return response.answer.size() < answers;
}

bool trim_tcp(message& response, const message& request) {
  const bool has_extra = !response.additional.empty();
  const bool srv = !request.questions.empty() && request.questions[0].type == rr_type::srv;
  const std::size_t most = srv ? max_tcp_srv_answers : max_tcp_answers;
  if (response.answer.size() > most) response.answer.resize(most);
  extra_index index;
  if (has_extra) index = index_extra(response.additional);
  const std::size_t before = response.answer.size();
  fit(response, max_tcp_size, max_tcp_size, index, has_extra, true);
  // Consul reports a TCP trim only when the size loop ran, not for the cut to the record cap.
  return response.answer.size() < before;
}

}  // namespace coconsul::dev::dns
