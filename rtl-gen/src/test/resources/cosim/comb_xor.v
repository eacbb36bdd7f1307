// Purely combinational: no clk, no rst. y = a ^ b, parity = ^(a ^ b).
module comb_xor (
    input  wire [15:0] a,
    input  wire [15:0] b,
    output wire [15:0] y,
    output wire        parity
);
    assign y = a ^ b;
    assign parity = ^y;
endmodule
