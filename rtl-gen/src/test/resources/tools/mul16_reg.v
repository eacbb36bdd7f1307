// Registered 16x16 unsigned multiply: inputs and product are registered so the whole
// multiplier, including its pipeline registers, fits one DSP48E2 (27x18 multiplier).
module mul16_reg (
    input  wire        clk,
    input  wire [15:0] a,
    input  wire [15:0] b,
    output reg  [31:0] p
);
    reg [15:0] a_q;
    reg [15:0] b_q;
    always @(posedge clk) begin
        a_q <= a;
        b_q <= b;
        p   <= a_q * b_q;
    end
endmodule
