#!/bin/sh
# Regenerates the certificate-revocation fixtures in this folder with the openssl CLI (no network).
#
# Test-only material: every key here is public. Certificates last 20 years; OCSP responses and CRLs
# carry thisUpdate = the time of generation (written to generated-at.txt, which the tests read to
# drive their clock) and, unless named *-short or *-nonextupdate, a nextUpdate 20 years later.
#
#   ec-ca        P-256 CA; its leaves carry AIA (OCSP) and CDP (CRL) URLs on 198.19.0.2:8888
#   ec-ocsp      delegated OCSP responder of ec-ca (EKU OCSPSigning)
#   ec-noeku     certificate of ec-ca without OCSPSigning: must not be accepted as a responder
#   other-ca     an unrelated P-256 CA, other-ocsp its OCSP responder (EKU OCSPSigning)
#   rsa-ca       RSA-2048 CA (serials with the top bit set, so DER pads them with 00)
#
# Leaves: ec-good, ec-revoked (keyCompromise), ec-unknown (not in ec-ca's database),
# ec-nolocations (neither AIA nor CDP), ec-crlonly (CDP only), rsa-good, rsa-revoked (superseded).
#
# Usage: sh make-fixtures.sh   (from anywhere; writes next to itself)
set -eu
cd "$(dirname "$0")"
HERE=$(pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
DAYS=7300
BASE=http://198.19.0.2:8888

rm -f ./*.pem ./*.key ./*.der ./*.crl generated-at.txt
date -u +%s > generated-at.txt

cat > "$WORK/openssl.cnf" <<'EOF'
[ ca ]
default_ca = CA_default
[ CA_default ]
dir = $ENV::CA_DIR
database = $dir/index.txt
new_certs_dir = $dir/new
serial = $dir/serial
crlnumber = $dir/crlnumber
default_md = sha256
default_days = 7300
default_crl_days = 7300
policy = policy_any
unique_subject = no
copy_extensions = none
[ policy_any ]
commonName = supplied
[ req ]
distinguished_name = req_dn
prompt = no
[ req_dn ]
CN = unused
[ ca_ext ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ leaf_full ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:$ENV::LEAF_NAME
authorityInfoAccess = OCSP;URI:$ENV::OCSP_URL
crlDistributionPoints = URI:$ENV::CRL_URL
[ leaf_crlonly ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:$ENV::LEAF_NAME
crlDistributionPoints = URI:$ENV::CRL_URL
[ leaf_bare ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:$ENV::LEAF_NAME
[ ocsp_signer ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = OCSPSigning
[ not_ocsp_signer ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
EOF
export OPENSSL_CONF="$WORK/openssl.cnf"
export LEAF_NAME=unused OCSP_URL=unused CRL_URL=unused CA_DIR=unused

key() { # key NAME ec|rsa
    if [ "$2" = rsa ]; then
        openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/$1.key" 2>/dev/null
    else
        openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/$1.key"
    fi
}

make_ca() { # make_ca NAME ec|rsa FIRST_SERIAL "Common Name"
    key "$1" "$2"
    mkdir -p "$WORK/$1/new"
    : > "$WORK/$1/index.txt"
    echo "$3" > "$WORK/$1/serial"
    echo 01 > "$WORK/$1/crlnumber"
    openssl req -new -x509 -key "$WORK/$1.key" -subj "/O=Rampart Tests/CN=$4" -days $DAYS -sha256 \
        -extensions ca_ext -out "$WORK/$1.pem"
}

issue() { # issue CA NAME EXTENSIONS KEYTYPE: a certificate recorded in CA's database
    key "$2" "$4"
    openssl req -new -key "$WORK/$2.key" -subj "/O=Rampart Tests/CN=$2.rampart.test" -out "$WORK/$2.csr"
    CA_DIR="$WORK/$1" LEAF_NAME="$2.rampart.test" OCSP_URL="$BASE/ocsp" CRL_URL="$BASE/$1.crl" \
        openssl ca -batch -notext -cert "$WORK/$1.pem" -keyfile "$WORK/$1.key" -extensions "$3" \
        -in "$WORK/$2.csr" -out "$WORK/$2.pem" 2>/dev/null
}

request() { # request CA LEAF OUT [nonce]: an OCSP request for LEAF
    if [ "${4:-}" = nonce ]; then nonce=-nonce; else nonce=-no_nonce; fi
    openssl ocsp -issuer "$WORK/$1.pem" -cert "$WORK/$2.pem" $nonce -reqout "$WORK/$3"
}

respond() { # respond CA REQUEST SIGNER OUT VALIDITY...: an OCSP response made offline from CA's database
    ca=$1 req=$2 signer=$3 out=$4
    shift 4
    openssl ocsp -index "$WORK/$ca/index.txt" -CA "$WORK/$ca.pem" -rsigner "$WORK/$signer.pem" \
        -rkey "$WORK/$signer.key" -reqin "$WORK/$req" -respout "$HERE/$out" "$@" 2>/dev/null
}

# The CAs, their responders and leaves.
make_ca ec-ca ec 1000 "Rampart Test EC CA"
make_ca other-ca ec 2000 "Rampart Test Other CA"
make_ca rsa-ca rsa 8A00 "Rampart Test RSA CA"
issue ec-ca ec-ocsp ocsp_signer ec
issue ec-ca ec-noeku not_ocsp_signer ec
issue other-ca other-ocsp ocsp_signer ec
issue ec-ca ec-good leaf_full ec
issue ec-ca ec-revoked leaf_full ec
issue ec-ca ec-nolocations leaf_bare ec
issue ec-ca ec-crlonly leaf_crlonly ec
issue rsa-ca rsa-good leaf_full rsa
issue rsa-ca rsa-revoked leaf_full ec
# ec-unknown is signed by ec-ca outside its database, so the responder does not know it.
key ec-unknown ec
openssl req -new -key "$WORK/ec-unknown.key" -subj "/O=Rampart Tests/CN=ec-unknown.rampart.test" \
    -out "$WORK/ec-unknown.csr"
LEAF_NAME=ec-unknown.rampart.test OCSP_URL="$BASE/ocsp" CRL_URL="$BASE/ec-ca.crl" \
    openssl x509 -req -in "$WORK/ec-unknown.csr" -CA "$WORK/ec-ca.pem" -CAkey "$WORK/ec-ca.key" \
    -set_serial 0x1FFF -days $DAYS -sha256 -extfile "$WORK/openssl.cnf" -extensions leaf_full \
    -out "$WORK/ec-unknown.pem" 2>/dev/null

CA_DIR="$WORK/ec-ca" openssl ca -revoke "$WORK/ec-revoked.pem" -crl_reason keyCompromise \
    -cert "$WORK/ec-ca.pem" -keyfile "$WORK/ec-ca.key" 2>/dev/null
CA_DIR="$WORK/rsa-ca" openssl ca -revoke "$WORK/rsa-revoked.pem" -crl_reason superseded \
    -cert "$WORK/rsa-ca.pem" -keyfile "$WORK/rsa-ca.key" 2>/dev/null

# OCSP requests (no nonce unless named so) and the responses to them.
request ec-ca ec-good ec-good.req
request ec-ca ec-good ec-good-nonce.req nonce
request ec-ca ec-revoked ec-revoked.req
request ec-ca ec-unknown ec-unknown.req
request rsa-ca rsa-good rsa-good.req
request rsa-ca rsa-revoked rsa-revoked.req
respond ec-ca ec-good.req ec-ca ocsp-ec-good-by-ca.der -ndays $DAYS
respond ec-ca ec-good.req ec-ocsp ocsp-ec-good-delegated.der -ndays $DAYS
respond ec-ca ec-good.req ec-ocsp ocsp-ec-good-short.der -nmin 60
respond ec-ca ec-good.req ec-ocsp ocsp-ec-good-nonextupdate.der
respond ec-ca ec-good-nonce.req ec-ocsp ocsp-ec-good-nonce.der -ndays $DAYS
respond ec-ca ec-good.req ec-noeku ocsp-ec-good-by-noeku.der -ndays $DAYS
respond ec-ca ec-good.req other-ocsp ocsp-ec-good-by-other.der -ndays $DAYS
respond ec-ca ec-revoked.req ec-ocsp ocsp-ec-revoked.der -ndays $DAYS
respond ec-ca ec-unknown.req ec-ocsp ocsp-ec-unknown.der -ndays $DAYS
respond rsa-ca rsa-good.req rsa-ca ocsp-rsa-good.der -ndays $DAYS
respond rsa-ca rsa-revoked.req rsa-ca ocsp-rsa-revoked.der -ndays $DAYS

# CRLs: DER and PEM, one that expires an hour after generation, and the RSA CA's.
CA_DIR="$WORK/ec-ca" openssl ca -gencrl -cert "$WORK/ec-ca.pem" -keyfile "$WORK/ec-ca.key" \
    -crldays $DAYS -out "$HERE/ec-ca.crl.pem" 2>/dev/null
openssl crl -in ec-ca.crl.pem -outform DER -out ec-ca.crl
CA_DIR="$WORK/ec-ca" openssl ca -gencrl -cert "$WORK/ec-ca.pem" -keyfile "$WORK/ec-ca.key" \
    -crlhours 1 -out "$WORK/ec-ca-short.crl.pem" 2>/dev/null
openssl crl -in "$WORK/ec-ca-short.crl.pem" -outform DER -out ec-ca-short.crl
CA_DIR="$WORK/rsa-ca" openssl ca -gencrl -cert "$WORK/rsa-ca.pem" -keyfile "$WORK/rsa-ca.key" \
    -crldays $DAYS -out "$WORK/rsa-ca.crl.pem" 2>/dev/null
openssl crl -in "$WORK/rsa-ca.crl.pem" -outform DER -out rsa-ca.crl

# Certificates; the keys the live-responder test needs (to issue leaves and sign responses).
for name in ec-ca ec-ocsp ec-noeku other-ca other-ocsp rsa-ca ec-good ec-revoked ec-unknown \
    ec-nolocations ec-crlonly rsa-good rsa-revoked; do
    cp "$WORK/$name.pem" "$HERE/$name.pem"
done
cp "$WORK/ec-ca.key" "$WORK/ec-ocsp.key" "$HERE/"
# openssl's own request for ec-good (no nonce): the checker's request must be the same bytes.
cp "$WORK/ec-good.req" "$HERE/ocsp-request-ec-good.der"
