import Foundation
import Testing
@testable import DataPlane

/// What the checker keeps, for how long, and how concurrent checks share a fetch.
@Suite("Revocation: caching and coalescing")
struct RevocationCacheTests {
    typealias H = RevocationHarness
    let ocsp = RevocationFixtures.ocspURL
    let crl = RevocationFixtures.ecCRLURL

    @Test("an OCSP answer is kept until its nextUpdate, then asked again")
    func ocspUntilNextUpdate() async throws {
        // nextUpdate is an hour after the fixtures were made; the clock starts a minute after.
        let harness = try H([ocsp: try H.file("ocsp-ec-good-short.der")])
        #expect(try await harness.check("ec-good", issuer: "ec-ca").status == .good)
        harness.clock.advance(by: 30 * 60)
        #expect(try await harness.check("ec-good", issuer: "ec-ca").status == .good)
        #expect(await harness.fetcher.count(ocsp) == 1)

        harness.clock.advance(by: 30 * 60 + 10 * 60) // past nextUpdate and the clock skew
        let result = try await harness.check("ec-good", issuer: "ec-ca")
        #expect(await harness.fetcher.count(ocsp) == 2)
        #expect(result.status == .unknown)
        #expect(result.reason.hasPrefix("OCSP responder \(ocsp): expired at "))
    }

    @Test("an answer without nextUpdate is kept for the default lifetime")
    func defaultLifetime() async throws {
        let harness = try H([ocsp: try H.file("ocsp-ec-good-nonextupdate.der")]) { $0.defaultLifetime = .seconds(600) }
        _ = try await harness.check("ec-good", issuer: "ec-ca")
        harness.clock.advance(by: 590)
        _ = try await harness.check("ec-good", issuer: "ec-ca")
        #expect(await harness.fetcher.count(ocsp) == 1)
        harness.clock.advance(by: 20)
        #expect(try await harness.check("ec-good", issuer: "ec-ca").status == .good)
        #expect(await harness.fetcher.count(ocsp) == 2)
    }

    @Test("unreachable sources are retried after the failure lifetime, and a responder coming back is used")
    func unreachableBriefly() async throws {
        let harness = try H([ocsp: H.refused, crl: H.refused])
        #expect(try await harness.check("ec-good", issuer: "ec-ca").status == .unknown)
        harness.clock.advance(by: 20)
        #expect(try await harness.check("ec-good", issuer: "ec-ca").status == .unknown)
        #expect(await harness.fetcher.count(ocsp) == 1)

        await harness.fetcher.answer(ocsp, with: try H.file("ocsp-ec-good-delegated.der"))
        harness.clock.advance(by: 11)
        #expect(try await harness.check("ec-good", issuer: "ec-ca").status == .good)
        #expect(await harness.fetcher.count(ocsp) == 2)
    }

    @Test("a CRL is kept per URL until its nextUpdate and serves every certificate of its issuer")
    func crlPerURL() async throws {
        let harness = try H([ocsp: H.refused, crl: try H.file("ec-ca-short.crl")])
        #expect(try await harness.check("ec-revoked", issuer: "ec-ca").status == .revoked)
        #expect(try await harness.check("ec-good", issuer: "ec-ca").status == .good)
        #expect(try await harness.check("ec-crlonly", issuer: "ec-ca").status == .good)
        #expect(await harness.fetcher.count(crl) == 1)

        harness.clock.advance(by: 3600 + 10 * 60) // the CRL's nextUpdate and the skew have passed
        await harness.fetcher.answer(crl, with: try H.file("ec-ca.crl"))
        #expect(try await harness.check("ec-unknown", issuer: "ec-ca").status == .good)
        #expect(await harness.fetcher.count(crl) == 2)
    }

    @Test("concurrent checks of one certificate share one fetch")
    func coalescing() async throws {
        let harness = try H([ocsp: try H.file("ocsp-ec-good-delegated.der")])
        await harness.fetcher.hold()
        let leaf = try RevocationFixtures.certificate("ec-good")
        let issuer = try RevocationFixtures.certificate("ec-ca")
        let results = await withTaskGroup(of: RevocationResult.self) { group in
            for _ in 0..<10 {
                group.addTask { await harness.checker.check(leaf, issuer: issuer) }
            }
            // Without coalescing, all ten would ask the held fetcher by now.
            try? await Task.sleep(for: .milliseconds(300))
            await harness.fetcher.release()
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 10)
        #expect(results.allSatisfy { $0.status == .good })
        #expect(await harness.fetcher.count(ocsp) == 1)
    }

    @Test("concurrent checks of certificates of one issuer share one CRL download")
    func crlCoalescing() async throws {
        let harness = try H([ocsp: H.refused, crl: try H.file("ec-ca.crl")])
        await harness.fetcher.hold(crl)
        let issuer = try RevocationFixtures.certificate("ec-ca")
        let leaves = try ["ec-good", "ec-revoked", "ec-crlonly"].map { try RevocationFixtures.certificate($0) }
        let statuses = await withTaskGroup(of: RevocationStatus.self) { group in
            for leaf in leaves {
                group.addTask { await harness.checker.check(leaf, issuer: issuer).status }
            }
            // Without coalescing, all three would ask the held fetcher for the CRL by now.
            try? await Task.sleep(for: .milliseconds(300))
            await harness.fetcher.release()
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses.sorted { $0.rawValue < $1.rawValue } == [.good, .good, .revoked])
        #expect(await harness.fetcher.count(crl) == 1)
    }

    @Test("a cancelled check does not hand its outcome to the checks waiting on it")
    func cancelledLeader() async throws {
        let harness = try H([ocsp: try H.file("ocsp-ec-good-delegated.der")])
        await harness.fetcher.hold()
        let leaf = try RevocationFixtures.certificate("ec-good")
        let issuer = try RevocationFixtures.certificate("ec-ca")
        let leader = Task { await harness.checker.check(leaf, issuer: issuer) }
        while await harness.fetcher.count(ocsp) == 0 { try await Task.sleep(for: .milliseconds(10)) }
        let follower = Task { await harness.checker.check(leaf, issuer: issuer) }
        try await Task.sleep(for: .milliseconds(200)) // the follower now waits on the leader's fetch
        leader.cancel()
        await harness.fetcher.release()
        #expect(await leader.value.reason.hasPrefix("OCSP responder \(ocsp) not asked: check cancelled"))
        #expect(await follower.value.status == .good)
        #expect(await harness.fetcher.count(ocsp) == 2)
    }

    @Test("the result cache is bounded")
    func bounded() async throws {
        let harness = try H([ocsp: H.refused, crl: try H.file("ec-ca.crl")]) { $0.maximumCachedResults = 1 }
        _ = try await harness.check("ec-good", issuer: "ec-ca")
        _ = try await harness.check("ec-revoked", issuer: "ec-ca")
        _ = try await harness.check("ec-good", issuer: "ec-ca")
        #expect(await harness.fetcher.count(ocsp) == 3)
        _ = try await harness.check("ec-good", issuer: "ec-ca")
        #expect(await harness.fetcher.count(ocsp) == 3)
    }
}
