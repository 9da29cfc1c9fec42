// Consul's DNS name forms: the scan of agent/dns.go's dispatch, its RFC 2782 and tag rules, and
// the .addr. hex form, as pure functions.

#include "dev_agent/dns/names.hpp"

#include "dev_agent/dns/message.hpp"

#include <boost/algorithm/hex.hpp>

#include <cctype>
#include <iterator>

namespace coconsul::dev::dns {

std::vector<std::string> split_labels(std::string_view name) {
  std::vector<std::string> labels;
  std::string current;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c == '\\' && i + 1 < name.size()) {
      current += c;
      current += name[++i];
    } else if (c == '.') {
      if (!current.empty()) labels.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) labels.push_back(std::move(current));
  return labels;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string fqdn(std::string_view name) {
  std::string out(name);
  if (out.empty() || out.back() != '.') out += '.';
  return out;
}

namespace {

std::string join(const std::vector<std::string>& labels, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) {
    if (i > from) out += '.';
    out += labels[i];
  }
  return out;
}

bool ends_with_labels(const std::vector<std::string>& name, const std::vector<std::string>& suffix) {
  if (suffix.size() > name.size()) return false;
  for (std::size_t i = 0; i < suffix.size(); ++i)
    if (name[name.size() - suffix.size() + i] != suffix[i]) return false;
  return true;
}

bool starts_with_underscore(const std::string& s) { return !s.empty() && s[0] == '_'; }

// Consul's parseLocality in CE: no label is the agent's datacenter, one is a datacenter (or a
// peer, which this agent has none of), more is not a name.
bool locality(const std::vector<std::string>& suffixes, std::string& datacenter) {
  if (suffixes.size() > 1) return false;
  if (suffixes.size() == 1) datacenter = suffixes[0];
  return true;
}

// "7f000001" -> 127.0.0.1; 32 hex digits -> an IPv6 address.
bool decode_hex(const std::string& s, std::vector<std::uint8_t>& out) {
  if (s.size() % 2 != 0) return false;
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  out.clear();
  boost::algorithm::unhex(s.begin(), s.end(), std::back_inserter(out));
  return true;
}

}  // namespace

zone zone_of(std::string_view qname, std::uint16_t qtype, std::string_view domain) {
  auto labels = split_labels(lower_ascii(qname));
  auto ours = split_labels(lower_ascii(domain));
  bool apex = labels.size() == ours.size();
  if (ends_with_labels(labels, ours) && !(apex && qtype == rr_type::ds)) return zone::ours;
  static const std::vector<std::string> arpa{"arpa"};
  if (ends_with_labels(labels, arpa) && !(labels.size() == 1 && qtype == rr_type::ds)) return zone::reverse;
  return zone::foreign;
}

std::string response_domain(std::string_view qname, std::string_view domain) {
  auto labels = split_labels(qname);
  auto ours = split_labels(lower_ascii(domain));
  if (labels.size() >= ours.size()) {
    std::vector<std::string> tail(labels.end() - static_cast<std::ptrdiff_t>(ours.size()), labels.end());
    std::vector<std::string> lowered;
    for (const auto& l : tail) lowered.push_back(lower_ascii(l));
    if (lowered == ours) return fqdn(join(tail, 0, tail.size()));
  }
  return fqdn(domain);
}

lookup parse_name(std::string_view qname, std::uint16_t qtype, std::string_view domain) {
  auto labels = split_labels(lower_ascii(qname));
  auto ours = split_labels(lower_ascii(domain));
  // The domain is cut off only when something comes before it (Consul's trimDomain).
  if (labels.size() > ours.size() && ends_with_labels(labels, ours)) labels.resize(labels.size() - ours.size());

  std::string kind;
  std::vector<std::string> parts, suffixes;
  for (std::size_t i = labels.size(); i-- > 0;) {
    const std::string& l = labels[i];
    if (l == "service" || l == "connect" || l == "virtual" || l == "ingress" || l == "node" || l == "query" ||
        l == "addr") {
      kind = l;
      parts.assign(labels.begin(), labels.begin() + static_cast<std::ptrdiff_t>(i));
      suffixes.assign(labels.begin() + static_cast<std::ptrdiff_t>(i) + 1, labels.end());
      break;
    }
    if (qtype == rr_type::srv && starts_with_underscore(l)) {
      kind = "service";
      parts.assign(labels.begin(), labels.begin() + static_cast<std::ptrdiff_t>(i) + 1);
      suffixes.assign(labels.begin() + static_cast<std::ptrdiff_t>(i) + 1, labels.end());
      break;
    }
  }
  if (kind.empty() || parts.empty()) return invalid_name{};

  if (kind == "service") {
    service_lookup s;
    if (!locality(suffixes, s.datacenter)) return invalid_name{};
    const std::size_t n = parts.size();
    if (n == 2 && starts_with_underscore(parts[0]) && starts_with_underscore(parts[1])) {
      // RFC 2782: _name._tag; _tcp means no tag.
      s.service = parts[0].substr(1);
      s.tag = parts[1].substr(1);
      if (s.tag == "tcp") s.tag.clear();
    } else {
      // tag[.more].name: a tag may hold dots.
      s.service = parts[n - 1];
      s.tag = join(parts, 0, n - 1);
    }
    return s;
  }
  if (kind == "node") {
    node_lookup nl;
    if (!locality(suffixes, nl.datacenter)) return invalid_name{};
    nl.node = join(parts, 0, parts.size());  // a node name may hold dots
    return nl;
  }
  if (kind == "addr") {
    // As Consul, the labels after .addr. are not looked at.
    if (parts.size() != 1) return invalid_name{};
    addr_lookup a;
    const std::size_t bytes = parts[0].size() / 2;
    if ((bytes != 4 && bytes != 16) || !decode_hex(parts[0], a.ip)) return invalid_name{};
    a.name = join(labels, 0, labels.size()) + ".";
    return a;
  }
  if (kind == "connect" || kind == "ingress") {
    // The last label is the service; no tag (Consul's dispatch ignores what comes before).
    service_lookup s;
    if (!locality(suffixes, s.datacenter)) return invalid_name{};
    s.service = parts.back();
    s.via = kind == "connect" ? selection::connect : selection::ingress;
    return s;
  }
  if (kind == "query") {
    query_lookup ql;
    if (!locality(suffixes, ql.datacenter)) return invalid_name{};
    ql.query = join(parts, 0, parts.size());  // a query name may hold dots
    return ql;
  }
  return later_lookup{kind};
}

}  // namespace coconsul::dev::dns
