// The DNS wire format through ldns: our plain message to an ldns_pkt and back. ldns owns the
// codec (names, compression, EDNS0's OPT record); this file only maps fields, and frees what
// ldns allocates through the RAII holders below.

#include "dev_agent/dns/wire.hpp"

#include <ldns/ldns.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

namespace coconsul::dev::dns {
namespace {

struct pkt_free {
  void operator()(ldns_pkt* p) const { ldns_pkt_free(p); }
};
struct rr_free {
  void operator()(ldns_rr* r) const { ldns_rr_free(r); }
};
struct rdf_free {
  void operator()(ldns_rdf* r) const { ldns_rdf_deep_free(r); }
};
struct buffer_free {
  void operator()(ldns_buffer* b) const { ldns_buffer_free(b); }
};
using pkt_ptr = std::unique_ptr<ldns_pkt, pkt_free>;
using rr_ptr = std::unique_ptr<ldns_rr, rr_free>;
using rdf_ptr = std::unique_ptr<ldns_rdf, rdf_free>;
using buffer_ptr = std::unique_ptr<ldns_buffer, buffer_free>;

// --- to ldns ---

rdf_ptr make_dname(const std::string& name) { return rdf_ptr(ldns_dname_new_frm_str(name.c_str())); }

rdf_ptr make_data(ldns_rdf_type t, const void* data, std::size_t n) {
  return rdf_ptr(ldns_rdf_new_frm_data(t, n, data));
}

bool push(ldns_rr* rr, rdf_ptr rdf) {
  if (!rdf || !ldns_rr_push_rdf(rr, rdf.get())) return false;
  rdf.release();  // the record owns it now
  return true;
}

bool push_rdata(ldns_rr* rr, const rdata& data) {
  struct visitor {
    ldns_rr* rr;
    bool operator()(const a_data& d) const { return push(rr, make_data(LDNS_RDF_TYPE_A, d.ip.data(), d.ip.size())); }
    bool operator()(const aaaa_data& d) const {
      return push(rr, make_data(LDNS_RDF_TYPE_AAAA, d.ip.data(), d.ip.size()));
    }
    bool operator()(const srv_data& d) const {
      return push(rr, rdf_ptr(ldns_native2rdf_int16(LDNS_RDF_TYPE_INT16, d.priority))) &&
             push(rr, rdf_ptr(ldns_native2rdf_int16(LDNS_RDF_TYPE_INT16, d.weight))) &&
             push(rr, rdf_ptr(ldns_native2rdf_int16(LDNS_RDF_TYPE_INT16, d.port))) && push(rr, make_dname(d.target));
    }
    bool operator()(const txt_data& d) const {
      // A character-string holds 255 bytes: longer text goes out as several strings.
      for (const auto& s : d.strings) {
        std::size_t at = 0;
        do {
          std::size_t n = std::min<std::size_t>(255, s.size() - at);
          std::string chunk(1, static_cast<char>(n));
          chunk.append(s, at, n);
          if (!push(rr, make_data(LDNS_RDF_TYPE_STR, chunk.data(), chunk.size()))) return false;
          at += n;
        } while (at < s.size());
      }
      return true;
    }
    bool operator()(const name_data& d) const { return push(rr, make_dname(d.target)); }
    bool operator()(const soa_data& d) const {
      return push(rr, make_dname(d.mname)) && push(rr, make_dname(d.rname)) &&
             push(rr, rdf_ptr(ldns_native2rdf_int32(LDNS_RDF_TYPE_INT32, d.serial))) &&
             push(rr, rdf_ptr(ldns_native2rdf_int32(LDNS_RDF_TYPE_PERIOD, d.refresh))) &&
             push(rr, rdf_ptr(ldns_native2rdf_int32(LDNS_RDF_TYPE_PERIOD, d.retry))) &&
             push(rr, rdf_ptr(ldns_native2rdf_int32(LDNS_RDF_TYPE_PERIOD, d.expire))) &&
             push(rr, rdf_ptr(ldns_native2rdf_int32(LDNS_RDF_TYPE_PERIOD, d.minimum)));
    }
  };
  return std::visit(visitor{rr}, data);
}

rr_ptr make_rr(const std::string& name, std::uint16_t type, std::uint16_t klass) {
  rdf_ptr owner = make_dname(name);
  if (!owner) return nullptr;
  rr_ptr rr(ldns_rr_new());
  if (!rr) return nullptr;
  ldns_rr_set_owner(rr.get(), owner.release());
  ldns_rr_set_type(rr.get(), static_cast<ldns_rr_type>(type));
  ldns_rr_set_class(rr.get(), static_cast<ldns_rr_class>(klass));
  return rr;
}

rr_ptr to_ldns(const record& r) {
  rr_ptr rr = make_rr(r.name, r.type, class_in);
  if (!rr) return nullptr;
  ldns_rr_set_ttl(rr.get(), r.ttl);
  if (!push_rdata(rr.get(), r.data)) return nullptr;
  return rr;
}

bool push_section(ldns_pkt* p, ldns_pkt_section s, const std::vector<record>& records) {
  for (const auto& r : records) {
    rr_ptr rr = to_ldns(r);
    if (!rr || !ldns_pkt_push_rr(p, s, rr.get())) return false;
    rr.release();
  }
  return true;
}

pkt_ptr to_ldns(const message& m) {
  pkt_ptr p(ldns_pkt_new());
  if (!p) return nullptr;
  const header& h = m.head;
  ldns_pkt_set_id(p.get(), h.id);
  ldns_pkt_set_qr(p.get(), h.qr);
  ldns_pkt_set_opcode(p.get(), static_cast<ldns_pkt_opcode>(h.opcode));
  ldns_pkt_set_aa(p.get(), h.aa);
  ldns_pkt_set_tc(p.get(), h.tc);
  ldns_pkt_set_rd(p.get(), h.rd);
  ldns_pkt_set_ra(p.get(), h.ra);
  ldns_pkt_set_cd(p.get(), h.cd);
  ldns_pkt_set_rcode(p.get(), h.rcode);
  for (const auto& q : m.questions) {
    rr_ptr rr = make_rr(q.name, q.type, q.klass);
    if (!rr) return nullptr;
    ldns_rr_set_question(rr.get(), true);
    if (!ldns_pkt_push_rr(p.get(), LDNS_SECTION_QUESTION, rr.get())) return nullptr;
    rr.release();
  }
  if (!push_section(p.get(), LDNS_SECTION_ANSWER, m.answer) ||
      !push_section(p.get(), LDNS_SECTION_AUTHORITY, m.authority) ||
      !push_section(p.get(), LDNS_SECTION_ADDITIONAL, m.additional))
    return nullptr;
  // ldns writes the OPT record when the size is set (ldns_pkt_edns); a requested size under 512
  // is answered as 512, the least a DNS message may be.
  if (m.opt) {
    ldns_pkt_set_edns_udp_size(p.get(), std::max<std::uint16_t>(m.opt->udp_size, 512));
    if (m.opt->client_subnet) {
      const auto& d = *m.opt->client_subnet;
      ldns_edns_option_list* list = ldns_edns_option_list_new();
      if (!list) return nullptr;
      ldns_pkt_set_edns_option_list(p.get(), list);  // the packet frees it
      ldns_edns_option* o = ldns_edns_new_from_data(LDNS_EDNS_CLIENT_SUBNET, d.size(), d.data());
      if (!o || !ldns_edns_option_list_push(list, o)) {
        if (o) ldns_edns_deep_free(o);
        return nullptr;
      }
    }
  }
  return p;
}

// --- from ldns ---

std::string text_of(const ldns_rdf* rdf) {
  char* s = ldns_rdf2str(rdf);
  if (!s) return {};
  std::string out(s);
  std::free(s);
  return out;
}

std::optional<rdata> rdata_of(const ldns_rr* rr) {
  auto field = [rr](std::size_t i) { return ldns_rr_rdf(rr, i); };
  auto fields = ldns_rr_rd_count(rr);
  switch (ldns_rr_get_type(rr)) {
    case LDNS_RR_TYPE_A: {
      if (fields < 1 || ldns_rdf_size(field(0)) != 4) return std::nullopt;
      a_data d;
      std::memcpy(d.ip.data(), ldns_rdf_data(field(0)), 4);
      return d;
    }
    case LDNS_RR_TYPE_AAAA: {
      if (fields < 1 || ldns_rdf_size(field(0)) != 16) return std::nullopt;
      aaaa_data d;
      std::memcpy(d.ip.data(), ldns_rdf_data(field(0)), 16);
      return d;
    }
    case LDNS_RR_TYPE_SRV:
      if (fields < 4) return std::nullopt;
      return srv_data{ldns_rdf2native_int16(field(0)), ldns_rdf2native_int16(field(1)),
                      ldns_rdf2native_int16(field(2)), text_of(field(3))};
    case LDNS_RR_TYPE_TXT: {
      txt_data d;
      for (std::size_t i = 0; i < fields; ++i) {
        const std::uint8_t* b = ldns_rdf_data(field(i));
        std::size_t n = ldns_rdf_size(field(i));
        if (n == 0 || b[0] + 1u != n) return std::nullopt;
        d.strings.emplace_back(reinterpret_cast<const char*>(b) + 1, n - 1);
      }
      return d;
    }
    case LDNS_RR_TYPE_CNAME:
    case LDNS_RR_TYPE_NS:
    case LDNS_RR_TYPE_PTR:
      if (fields < 1) return std::nullopt;
      return name_data{text_of(field(0))};
    case LDNS_RR_TYPE_SOA:
      if (fields < 7) return std::nullopt;
      return soa_data{text_of(field(0)), text_of(field(1)), ldns_rdf2native_int32(field(2)),
                      ldns_rdf2native_int32(field(3)), ldns_rdf2native_int32(field(4)),
                      ldns_rdf2native_int32(field(5)), ldns_rdf2native_int32(field(6))};
    default:
      return std::nullopt;
  }
}

std::vector<record> section_of(const ldns_rr_list* list) {
  std::vector<record> out;
  for (std::size_t i = 0; i < ldns_rr_list_rr_count(list); ++i) {
    const ldns_rr* rr = ldns_rr_list_rr(list, i);
    auto data = rdata_of(rr);
    if (!data) continue;
    out.push_back(record{text_of(ldns_rr_owner(rr)), static_cast<std::uint16_t>(ldns_rr_get_type(rr)),
                         ldns_rr_ttl(rr), std::move(*data)});
  }
  return out;
}

}  // namespace

std::optional<raw_header> read_header(std::span<const std::uint8_t> b) {
  if (b.size() < 12) return std::nullopt;
  auto u16 = [&b](std::size_t i) { return static_cast<std::uint16_t>((b[i] << 8) | b[i + 1]); };
  return raw_header{u16(0), u16(2), u16(4), u16(6), u16(8), u16(10)};
}

std::optional<message> decode(std::span<const std::uint8_t> bytes) {
  ldns_pkt* raw = nullptr;
  if (ldns_wire2pkt(&raw, bytes.data(), bytes.size()) != LDNS_STATUS_OK) {
    if (raw) ldns_pkt_free(raw);
    return std::nullopt;
  }
  pkt_ptr p(raw);
  message m;
  header& h = m.head;
  h.id = ldns_pkt_id(p.get());
  h.qr = ldns_pkt_qr(p.get());
  h.opcode = static_cast<std::uint8_t>(ldns_pkt_get_opcode(p.get()));
  h.aa = ldns_pkt_aa(p.get());
  h.tc = ldns_pkt_tc(p.get());
  h.rd = ldns_pkt_rd(p.get());
  h.ra = ldns_pkt_ra(p.get());
  h.cd = ldns_pkt_cd(p.get());
  h.rcode = static_cast<std::uint8_t>(ldns_pkt_get_rcode(p.get()));
  const ldns_rr_list* qs = ldns_pkt_question(p.get());
  for (std::size_t i = 0; i < ldns_rr_list_rr_count(qs); ++i) {
    const ldns_rr* q = ldns_rr_list_rr(qs, i);
    m.questions.push_back(question{text_of(ldns_rr_owner(q)), static_cast<std::uint16_t>(ldns_rr_get_type(q)),
                                   static_cast<std::uint16_t>(ldns_rr_get_class(q))});
  }
  m.answer = section_of(ldns_pkt_answer(p.get()));
  m.authority = section_of(ldns_pkt_authority(p.get()));
  m.additional = section_of(ldns_pkt_additional(p.get()));
  if (ldns_pkt_edns(p.get())) {
    m.opt = edns{ldns_pkt_edns_udp_size(p.get()), std::nullopt};
    if (const ldns_edns_option_list* list = ldns_pkt_edns_get_option_list(p.get())) {
      for (std::size_t i = 0; i < ldns_edns_option_list_get_count(list); ++i) {
        const ldns_edns_option* o = ldns_edns_option_list_get_option(list, i);
        if (!o || ldns_edns_get_code(o) != LDNS_EDNS_CLIENT_SUBNET) continue;
        const std::uint8_t* b = ldns_edns_get_data(o);
        m.opt->client_subnet = std::vector<std::uint8_t>(b, b + ldns_edns_get_size(o));
        break;
      }
    }
  }
  return m;
}

std::optional<std::vector<std::uint8_t>> encode(const message& m) {
  pkt_ptr p = to_ldns(m);
  if (!p) return std::nullopt;
  std::uint8_t* wire = nullptr;
  std::size_t size = 0;
  if (ldns_pkt2wire(&wire, p.get(), &size) != LDNS_STATUS_OK) {
    std::free(wire);
    return std::nullopt;
  }
  std::vector<std::uint8_t> out(wire, wire + size);
  std::free(wire);
  return out;
}

std::size_t encoded_size(const message& m, bool compressed) {
  if (compressed) {
    auto bytes = encode(m);
    return bytes ? bytes->size() : 0;
  }
  pkt_ptr p = to_ldns(m);
  if (!p) return 0;
  buffer_ptr buf(ldns_buffer_new(4096));
  if (!buf) return 0;
  std::size_t size = 12;
  auto add = [&](const ldns_rr_list* list, int section) {
    for (std::size_t i = 0; i < ldns_rr_list_rr_count(list); ++i) {
      ldns_buffer_clear(buf.get());
      if (ldns_rr2buffer_wire(buf.get(), ldns_rr_list_rr(list, i), section) != LDNS_STATUS_OK) return false;
      size += ldns_buffer_position(buf.get());
    }
    return true;
  };
  if (!add(ldns_pkt_question(p.get()), LDNS_SECTION_QUESTION) || !add(ldns_pkt_answer(p.get()), LDNS_SECTION_ANSWER) ||
      !add(ldns_pkt_authority(p.get()), LDNS_SECTION_AUTHORITY) ||
      !add(ldns_pkt_additional(p.get()), LDNS_SECTION_ADDITIONAL))
    return 0;
  // The OPT record: root name, type, class, TTL, RDLENGTH, then each option's code, length, data.
  if (m.opt) size += 11 + (m.opt->client_subnet ? 4 + m.opt->client_subnet->size() : 0);
  return size;
}

}  // namespace coconsul::dev::dns
