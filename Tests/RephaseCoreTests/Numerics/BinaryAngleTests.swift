import Foundation
import Testing
import RephaseCore
import RephaseReference

@Suite struct BinaryAngleTests {
    @Test func arithmeticWrapsModuloOneTurn() {
        let threeQuarters = BinaryAngle(raw: 0xC000_0000)
        #expect(threeQuarters + .halfTurn == .quarterTurn)
        #expect(BinaryAngle.zero - .quarterTurn == threeQuarters)
        #expect(-BinaryAngle.halfTurn == .halfTurn)
        #expect(-BinaryAngle.zero == .zero)
        var phase = BinaryAngle(raw: 0xFFFF_FFFF)
        phase += BinaryAngle(raw: 2)
        #expect(phase == BinaryAngle(raw: 1))
    }

    @Test func radiansRoundTrip() {
        #expect(BinaryAngle(radians: 0) == .zero)
        #expect(BinaryAngle(radians: Float.pi / 2).raw.distance(to: 0x4000_0000).magnitude <= 64)
        #expect(BinaryAngle(radians: -Float.pi / 2).raw.distance(to: 0xC000_0000).magnitude <= 64)
        #expect(BinaryAngle.halfTurn.radians == -Float(Double.pi))  // Float.pi rounds down
        #expect(BinaryAngle.quarterTurn.radians == Float(Double.pi / 2))
        var rng = SplitMix64(seed: 40)
        for _ in 0..<20_000 {
            let radians = Float(rng.nextInt32()) * 0x1p-26  // in [-32, 32)
            let turns = Double(radians) / (2 * Double.pi)
            let exact = (turns - turns.rounded(.down)) * 0x1p32  // in [0, 2^32)
            let raw = BinaryAngle(radians: radians).raw
            let error = (Double(raw) - exact).magnitude
            #expect(min(error, 0x1p32 - error) <= 0.5 + 1e-6, "\(radians)")
        }
        for _ in 0..<20_000 {
            let angle = BinaryAngle(raw: rng.nextUInt32())
            let exact = Double(Int32(bitPattern: angle.raw)) * 2 * Double.pi / 0x1p32
            #expect(angle.radians == Float(exact))
        }
    }

    @Test func q15Turns() {
        for q in Int16.min...Int16.max {
            let angle = BinaryAngle(q15Turns: q)
            #expect(angle.raw == UInt32(truncatingIfNeeded: Int(q) << 17))
            // Q15 turns back out lie in [-1/2, 1/2] turn, equal modulo one turn.
            #expect(Int(angle.q15Turns) & 0x7FFF == Int(q) & 0x7FFF)
        }
        #expect(BinaryAngle.halfTurn.q15Turns == -16384)
        #expect(BinaryAngle(raw: 0x7FFF_FFFF).q15Turns == 16384)
        #expect(BinaryAngle(raw: 0x0001_0000).q15Turns == 1)  // half a Q15 LSB rounds up
        #expect(BinaryAngle(raw: 0x0000_FFFF).q15Turns == 0)
    }

    @Test func sixteenBitAngles() {
        #expect(BinaryAngle16(BinaryAngle(raw: 0x1234_7FFF)).raw == 0x1234)
        #expect(BinaryAngle16(BinaryAngle(raw: 0x1234_8000)).raw == 0x1235)
        #expect(BinaryAngle16(BinaryAngle(raw: 0xFFFF_8000)).raw == 0)  // wraps to zero
        for raw in UInt16.min...UInt16.max {
            #expect(BinaryAngle16(BinaryAngle(BinaryAngle16(raw: raw))).raw == raw)
        }
    }
}

@Suite struct BinaryAngleSinglePrecisionTests {
    /// Both directions against Double, over |x| <= 1000 rad (the documented range).
    @Test func singlePrecisionConversionsStayWithinBounds() {
        var worstIn = 0.0, worstOut = 0.0
        var x: Float = -1000
        while x <= 1000 {
            let angle = BinaryAngle(singlePrecisionRadians: x)
            let exact = Double(x) - 2 * Double.pi * (Double(x) / (2 * Double.pi)).rounded()
            let got = Double(Int32(bitPattern: angle.raw)) * 2 * Double.pi / 4_294_967_296
            worstIn = max(worstIn, abs(remainder(got - exact, 2 * Double.pi)))
            worstOut = max(worstOut, abs(Double(angle.singlePrecisionRadians) - got))
            x += 0.0173
        }
        #expect(worstIn <= 4e-7, "radians -> angle: \(worstIn)")
        #expect(worstOut <= 3e-7, "angle -> radians: \(worstOut)")
    }
}
